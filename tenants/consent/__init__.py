"""Contacts' consent: the current state per purpose, its append-only history, and the contact rule."""
