"""Tenant-level settings: region rule overrides and the tenant's default language, time zone and currency."""
