"""Global search page."""
