"""SQL that inserts the built-in roles; run at provisioning and by the step that introduced roles."""

from __future__ import annotations

import json

from sampark.tenants.access.catalog import BUILTIN_ROLES


def builtin_role_statements() -> list[str]:
    """One idempotent INSERT per built-in role (literal JSON from our own catalog, never from input)."""
    statements = []
    for key, (name, permissions) in BUILTIN_ROLES.items():
        payload = json.dumps(permissions, sort_keys=True).replace("'", "''")
        statements.append(
            "INSERT INTO roles (key, name, is_builtin, permissions, hidden_fields)"
            f" VALUES ('{key}', '{name}', true, '{payload}'::jsonb, '{{}}'::jsonb)"
            " ON CONFLICT (key) DO UPDATE SET permissions = excluded.permissions, is_builtin = true"
        )
    return statements
