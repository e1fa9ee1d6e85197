"""Background work of meetings (reminders of overdue action items)."""
