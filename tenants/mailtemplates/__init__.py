"""Tenant e-mail templates: admins' per-locale overrides of the mails Sampark sends in the tenant's name."""
