"""Contact pages and API."""
