"""Tenant admins' mail templates (``/t/<slug>/admin/mail-templates``)."""
