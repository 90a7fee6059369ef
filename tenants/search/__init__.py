"""Global search and the shared list machinery (filters, sorts, keyset cursors, safe tsquery building)."""
