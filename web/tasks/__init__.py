"""Tasks, reminders' notifications, the calendar and ICS feeds: pages and the JSON API."""
