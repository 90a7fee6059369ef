"""The tenant audit log: every change to tenant data."""
