"""Activities over HTTP: the JSON API and the edit and delete pages."""
