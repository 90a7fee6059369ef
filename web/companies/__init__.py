"""Company pages and the company JSON API."""
