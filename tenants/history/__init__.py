"""Record history, read from the tenant audit log."""
