"""Embedded PostgreSQL, Redis and SMTP sink for a single-machine run with no installs beyond pip."""
