"""Create, suspend, resume and drop tenants. Each is one transaction: a failure leaves nothing behind."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from sampark.platform.config.settings import PLACEMENTS
from sampark.platform.db.engine import get_engine
from sampark.platform.db.migrations.v0002_tenant_group import TENANT_GROUP_ROLE
from sampark.platform.db.placements import database_for, is_remote, transaction_on
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
    if new.placement not in PLACEMENTS:
        raise ProvisioningError("placement_unknown", f"placement {new.placement!r} is unknown")
    schema = schema or load_tenant_schema()
    if is_remote(new.placement):
        return await _provision_placed(new, schema, connection)
    if connection is None:
        async with get_engine().transaction() as transaction:
            return await _provision(transaction.connection, new, schema)
    async with connection.transaction():  # a savepoint when joining the caller's transaction
        return await _provision(connection, new, schema)


async def _provision(connection: asyncpg.Connection, new: NewTenant, schema: TenantSchema) -> TenantRecord:
    tenant_id = await _claim_id(connection, new.slug)
    schema_name, role = schema_name_for(tenant_id), role_name_for(tenant_id)
    await _build(connection, schema_name, role, schema)
    return await _register(connection, new, tenant_id, schema_name, role, schema.version)


async def _claim_id(connection: asyncpg.Connection, slug: str) -> int:
    if await connection.fetchval("SELECT 1 FROM public.tenants WHERE slug = $1", slug):
        raise ProvisioningError("slug_taken", f"slug {slug!r} is taken")
    tenant_id: int = await connection.fetchval(
        "SELECT nextval(pg_get_serial_sequence('public.tenants', 'id'))"
    )
    return tenant_id


async def _build(connection: asyncpg.Connection, schema_name: str, role: str, schema: TenantSchema) -> None:
    """Create the tenant's role, schema, tables, seed rows and grants on ``connection``'s database."""
    # INHERIT, so the role has what the tenant group role holds (appending to the outbox), nothing more.
    await connection.execute(f"CREATE ROLE {quote_ident(role)} NOLOGIN INHERIT IN ROLE {TENANT_GROUP_ROLE}")
    await connection.execute(f"GRANT {quote_ident(role)} TO CURRENT_USER")
    await connection.execute(f"CREATE SCHEMA {quote_ident(schema_name)}")
    await connection.execute("SELECT set_config('search_path', $1, true)", quote_ident(schema_name))
    for statement in [*schema.baseline(), *schema.seed]:
        await connection.execute(statement)
    await grant_tenant_role(connection, schema_name, role, schema.append_only)
    await connection.execute("SELECT set_config('search_path', 'sampark_empty', true)")


async def _provision_placed(
    new: NewTenant, schema: TenantSchema, connection: asyncpg.Connection | None
) -> TenantRecord:
    """Build the tenant on its placement's database, then register it in the home database.

    Two databases, two commits: the schema first (with its ``tenant_placements`` row), the registry row last, so
    a tenant is never registered without its data. If registering fails the schema is dropped again; a crash in
    between leaves an unregistered schema that nothing reaches (docs/regions.md).
    """
    if connection is not None:
        tenant_id = await _claim_id(connection, new.slug)
    else:
        async with transaction_on(get_engine()) as home:
            tenant_id = await _claim_id(home.connection, new.slug)
    schema_name, role = schema_name_for(tenant_id), role_name_for(tenant_id)
    async with transaction_on(database_for(new.placement).engine) as placed:
        await _build(placed.connection, schema_name, role, schema)
        await placed.connection.execute(
            "INSERT INTO public.tenant_placements (id, slug, schema_name, db_role, schema_version)"
            " VALUES ($1, $2, $3, $4, $5)",
            tenant_id, new.slug, schema_name, role, schema.version,
        )  # fmt: skip
    try:
        if connection is not None:
            async with connection.transaction():
                return await _register(connection, new, tenant_id, schema_name, role, schema.version)
        async with transaction_on(get_engine()) as home:
            return await _register(home.connection, new, tenant_id, schema_name, role, schema.version)
    except BaseException:
        await _drop_placed(new.placement, tenant_id, schema_name, role)
        raise


async def _register(
    connection: asyncpg.Connection, new: NewTenant, tenant_id: int, schema_name: str, role: str, version: int
) -> TenantRecord:
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
            version,
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
    """Delete the tenant's schema, role and registry row; False when no such tenant.

    First the registry marks the tenant ``dropping`` in a transaction of its own, committed at once, so every
    request and actor that starts from then on is refused like an unknown tenant (404) instead of queueing on
    locks the drop holds and failing with "relation does not exist". Then one transaction when the tenant lives
    in the home database; otherwise the registry row goes first, then its schema and role on the placement's
    database. Requests still running in the tenant hold locks on its tables while ``DROP SCHEMA`` takes them one
    by one, so PostgreSQL may pick the drop as a deadlock victim; the drop is then retried a few times. A drop
    that fails for good puts the previous status back: the tenant is still all there.
    """
    previous = await _mark_dropping(slug)
    if previous is None:
        return False
    try:
        for attempt in range(1, attempts + 1):
            try:
                return await _drop_tenant_once(slug)
            except asyncpg.DeadlockDetectedError:
                if attempt == attempts:
                    raise
                await asyncio.sleep(0.05 * attempt)
    except BaseException:
        await _restore_status(slug, previous)
        raise
    return False  # pragma: no cover - the loop returns or raises


# On a connection of its own, outside any caller's transaction (the CLI drops inside one, with its audit row).
# The lock timeout keeps a caller that already locked the row from waiting on itself for ever.
_MARK_DROPPING = """
UPDATE public.tenants t SET status = $2, updated_at = now()
FROM (SELECT id, status FROM public.tenants WHERE slug = $1 FOR UPDATE) old
WHERE t.id = old.id RETURNING old.status
"""


async def _mark_dropping(slug: str) -> str | None:
    """Mark the tenant ``dropping`` (committed); its previous status, or None when there is no such tenant."""
    async with get_engine().pool.acquire() as connection, connection.transaction():
        await connection.execute("SET LOCAL lock_timeout = '5s'")
        previous: str | None = await connection.fetchval(_MARK_DROPPING, slug, TenantStatus.DROPPING)
        return previous


async def _restore_status(slug: str, previous: str) -> None:
    async with get_engine().pool.acquire() as connection:
        await connection.execute(
            "UPDATE public.tenants SET status = $2, updated_at = now() WHERE slug = $1 AND status = $3",
            slug, previous, TenantStatus.DROPPING,
        )  # fmt: skip


async def _drop_tenant_once(slug: str) -> bool:
    async with transaction_on(get_engine()) as transaction:
        connection = transaction.connection
        row = await connection.fetchrow(
            "DELETE FROM public.tenants WHERE slug = $1 RETURNING id, placement, schema_name, db_role", slug
        )
        if row is None:
            return False
        if not is_remote(row["placement"]):
            await _drop_queued_work(connection, row["id"])
            await _drop_schema_and_role(connection, row["schema_name"], row["db_role"])
            return True
    await _drop_placed(row["placement"], row["id"], row["schema_name"], row["db_role"])
    return True


async def _drop_placed(placement: str, tenant_id: int, schema_name: str, role: str) -> None:
    async with transaction_on(database_for(placement).engine) as transaction:
        await transaction.connection.execute("DELETE FROM public.tenant_placements WHERE id = $1", tenant_id)
        await _drop_queued_work(transaction.connection, tenant_id)
        await _drop_schema_and_role(transaction.connection, schema_name, role)


async def _drop_queued_work(connection: asyncpg.Connection, tenant_id: int) -> None:
    """The tenant's undelivered outbox messages and queued reminders go with it: mail about a tenant that no
    longer exists must not go out. These tables hold no foreign key (placement databases have no registry)."""
    await connection.execute("DELETE FROM public.outbox WHERE tenant_id = $1 AND sent_at IS NULL", tenant_id)
    await connection.execute("DELETE FROM public.reminder_queue WHERE tenant_id = $1", tenant_id)


async def _drop_schema_and_role(connection: asyncpg.Connection, schema_name: str, db_role: str) -> None:
    role = quote_ident(db_role)
    await connection.execute(f"DROP SCHEMA IF EXISTS {quote_ident(schema_name)} CASCADE")
    await connection.execute(f"DROP OWNED BY {role}")
    await connection.execute(f"DROP ROLE IF EXISTS {role}")
