"""Tasks, reminders, in-app notifications and private calendar feeds."""
