"""Access control inside a tenant: roles with per-object record scope, teams, and the current principal."""
