"""Contacts: the people a tenant works with."""
