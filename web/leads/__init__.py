"""Lead pages, forms, conversion and JSON API."""
