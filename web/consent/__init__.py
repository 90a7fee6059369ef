"""Consent pages and API: the contact section, the admin overview with its export, and the JSON API."""
