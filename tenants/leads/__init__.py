"""Leads: unqualified prospects, and their conversion into a contact, a company and a deal."""
