"""Tenancy: the registry, provisioning, tenant context, schema steps and fan-out migrations."""
