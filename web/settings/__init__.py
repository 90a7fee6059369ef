"""Tenant settings pages: the region and compliance rules."""
