"""The timeline: every touchpoint on a record, newest first, from every registered source."""
