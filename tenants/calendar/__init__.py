"""The calendar: entries from registered sources (tasks, meetings), shown by day and exported as ICS."""
