"""Exchange rates: the admin page and the JSON API."""
