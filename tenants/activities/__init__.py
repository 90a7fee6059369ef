"""Activities: notes, calls, meetings and logged e-mails linked to records."""
