"""Create, suspend, resume and drop tenants. Each is one transaction: a failure leaves nothing behind."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from sampark.platform.db.engine import get_engine
from sampark.platform.db.migrations.v0002_tenant_group import TENANT_GROUP_ROLE
from sampark.platform.tenancy.context import _COLUMNS, TenantRecord
from sampark.platform.tenancy.grants import grant_tenant_role
from sampark.platform.tenancy.naming import quote_ident, role_name_for, schema_name_for, slug_problem
from sampark.platform.tenancy.schema import TenantSchema, load_tenant_schema
from sampark.platform.tenancy.tables import Tenant, TenantStatus


class ProvisioningError(ValueError):
    """The tenant cannot be created as asked; ``code`` is stable ("slug_invalid", "slug_taken", ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class NewTenant:
    slug: str
    name: str
    region: str
    placement: str = "default"


async def provision_tenant(
    new: NewTenant, *, connection: asyncpg.Connection | None = None, schema: TenantSchema | None = None
) -> TenantRecord:
    """Register a tenant and build its schema and role in one transaction.

    Args:
        new: what the tenant is called and where it lives.
        connection: an open transaction to join (sign-up adds the admin user in the same one).
        schema: the tenant schema to apply; the registered one by default.

    Raises:
        ProvisioningError: the slug is invalid or taken.
    """
    problem = slug_problem(new.slug)
    if problem is not None:
        raise ProvisioningError(f"slug_{problem}", f"slug {new.slug!r} is {problem}")
    schema = schema or load_tenant_schema()
    if connection is None:
        async with get_engine().transaction() as transaction:
            return await _provision(transaction.connection, new, schema)
    async with connection.transaction():  # a savepoint when joining the caller's transaction
        return await _provision(connection, new, schema)


async def _provision(connection: asyncpg.Connection, new: NewTenant, schema: TenantSchema) -> TenantRecord:
    if await connection.fetchval("SELECT 1 FROM public.tenants WHERE slug = $1", new.slug):
        raise ProvisioningError("slug_taken", f"slug {new.slug!r} is taken")
    tenant_id = await connection.fetchval("SELECT nextval(pg_get_serial_sequence('public.tenants', 'id'))")
    schema_name, role = schema_name_for(tenant_id), role_name_for(tenant_id)
    # INHERIT, so the role has what the tenant group role holds (appending to the outbox), nothing more.
    await connection.execute(f"CREATE ROLE {quote_ident(role)} NOLOGIN INHERIT IN ROLE {TENANT_GROUP_ROLE}")
    await connection.execute(f"GRANT {quote_ident(role)} TO CURRENT_USER")
    await connection.execute(f"CREATE SCHEMA {quote_ident(schema_name)}")
    await connection.execute("SELECT set_config('search_path', $1, true)", quote_ident(schema_name))
    for statement in [*schema.baseline(), *schema.seed]:
        await connection.execute(statement)
    await grant_tenant_role(connection, schema_name, role, schema.append_only)
    await connection.execute("SELECT set_config('search_path', 'sampark_empty', true)")
    try:
        row = await connection.fetchrow(
            f"INSERT INTO public.tenants (id, slug, name, region, placement, status, schema_name, db_role,"
            f" schema_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {_COLUMNS}",
            tenant_id,
            new.slug,
            new.name,
            new.region,
            new.placement,
            TenantStatus.ACTIVE,
            schema_name,
            role,
            schema.version,
        )
    except asyncpg.UniqueViolationError:
        # Two sign-ups raced for one slug; the loser's whole transaction rolls back.
        raise ProvisioningError("slug_taken", f"slug {new.slug!r} is taken") from None
    return _from_row(row)


def _from_row(row: dict) -> TenantRecord:
    return TenantRecord(**{name: row[name] for name in _COLUMNS.split(", ")})


async def get_tenant(slug: str) -> TenantRecord | None:
    """Return the tenant with ``slug`` whatever its status."""
    row = await Tenant.select().where(Tenant.slug == slug).first()
    return _from_row(row) if row else None


async def list_tenants() -> list[TenantRecord]:
    return [_from_row(row) for row in await Tenant.select().order_by(Tenant.id)]


async def set_status(slug: str, status: str) -> TenantRecord | None:
    """Suspend or resume a tenant; takes effect on the next request, since every request reads the status."""
    await Tenant.update({Tenant.status: status, Tenant.updated_at: datetime.now(UTC)}).where(
        Tenant.slug == slug
    )
    return await get_tenant(slug)


async def drop_tenant(slug: str, *, attempts: int = 5) -> bool:
    """Delete the tenant's schema, role and registry row in one transaction; False when no such tenant.

    Requests still running in the tenant hold locks on its tables while ``DROP SCHEMA`` takes them one by one, so
    PostgreSQL may pick the drop as a deadlock victim; the whole transaction is then retried a few times.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await _drop_tenant_once(slug)
        except asyncpg.DeadlockDetectedError:
            if attempt == attempts:
                raise
            await asyncio.sleep(0.05 * attempt)
    return False  # pragma: no cover - the loop returns or raises


async def _drop_tenant_once(slug: str) -> bool:
    async with get_engine().transaction() as transaction:
        connection = transaction.connection
        row = await connection.fetchrow(
            "DELETE FROM public.tenants WHERE slug = $1 RETURNING schema_name, db_role", slug
        )
        if row is None:
            return False
        role = quote_ident(row["db_role"])
        await connection.execute(f"DROP SCHEMA IF EXISTS {quote_ident(row['schema_name'])} CASCADE")
        await connection.execute(f"DROP OWNED BY {role}")
        await connection.execute(f"DROP ROLE IF EXISTS {role}")
    return True
