"""What a tenant role may touch: its own schema's tables, plus what the tenant group role holds."""

from __future__ import annotations

import asyncpg

from sampark.platform.tenancy.naming import quote_ident


async def grant_tenant_role(
    connection: asyncpg.Connection, schema_name: str, role: str, append_only: frozenset[str]
) -> None:
    """(Re)apply the tenant role's privileges on its own schema; idempotent, run after provisioning and every step.

    Only objects inside the tenant's schema are touched, so concurrent tenants never contend for one catalog row.
    Shared privileges come from membership in the tenant group role (see platform step v0002).
    """
    schema, role_ident = quote_ident(schema_name), quote_ident(role)
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {role_ident}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role_ident}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role_ident}",
    ]
    for table in sorted(append_only):
        statements.append(
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.{quote_ident(table)} FROM {role_ident}"
        )
    for statement in statements:
        await connection.execute(statement)
