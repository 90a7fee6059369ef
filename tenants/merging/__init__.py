"""Merging duplicate records (contacts, companies) into one."""
