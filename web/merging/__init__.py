"""Merging duplicate contacts and companies: pages and API."""
