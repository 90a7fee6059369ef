"""Migrate the platform schema, then fan the tenant steps out over every schema that is behind.

Each step runs in its own transaction with ``lock_timeout`` and bumps the tenant's recorded version in the same
transaction, so a run that stops anywhere resumes where it stopped. A failing tenant is reported; the rest go on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import asyncpg
from piccolo.engine.postgres import PostgresEngine

from sampark.platform.db.engine import EMPTY_SCHEMA, get_engine
from sampark.platform.db.placements import all_databases, database_for, is_remote, transaction_on
from sampark.platform.db.steps import SchemaStep, discover_steps, pending
from sampark.platform.tenancy.grants import grant_tenant_role
from sampark.platform.tenancy.naming import quote_ident
from sampark.platform.tenancy.schema import TenantSchema, load_tenant_schema

PLATFORM_STEPS_PACKAGE = "sampark.platform.db.migrations"
# What a placement database holds beside its tenants (outbox, reminder queue, registry copy): docs/regions.md.
PLACEMENT_STEPS_PACKAGE = "sampark.platform.db.placement_migrations"
# Two processes migrating the platform at once wait for each other on this advisory lock.
_PLATFORM_LOCK = 0x5A_4D_50_4C


@dataclass
class TenantResult:
    tenant_id: int
    slug: str
    from_version: int
    to_version: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class MigrationReport:
    platform_from: int
    platform_to: int
    target_version: int
    tenants: list[TenantResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[TenantResult]:
        return [result for result in self.tenants if not result.ok]


async def migrate_platform(
    steps: Sequence[SchemaStep] | None = None, *, engine: PostgresEngine | None = None
) -> tuple[int, int]:
    """Apply pending platform steps (on ``engine``, the home database by default); return (before, after)."""
    steps = steps if steps is not None else discover_steps(PLATFORM_STEPS_PACKAGE)
    async with transaction_on(engine or get_engine()) as transaction:
        connection = transaction.connection
        await connection.execute("SELECT pg_advisory_xact_lock($1)", _PLATFORM_LOCK)
        await connection.execute(f"CREATE SCHEMA IF NOT EXISTS {EMPTY_SCHEMA}")
        await connection.execute(f"REVOKE ALL ON SCHEMA {EMPTY_SCHEMA} FROM PUBLIC")
        await connection.execute(
            'CREATE TABLE IF NOT EXISTS "public"."platform_schema" (id INT PRIMARY KEY CHECK (id = 1),'
            " version INT NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        before = await connection.fetchval('SELECT version FROM "public"."platform_schema" WHERE id = 1') or 0
        for step in pending(steps, before):
            await step.apply(connection)
        after = steps[-1].version if steps else before
        await connection.execute(
            'INSERT INTO "public"."platform_schema" (id, version) VALUES (1, $1)'
            " ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = now()",
            after,
        )
    return before, after


async def migrate_placements() -> dict[str, tuple[int, int]]:
    """Apply the placement steps on every placement database but home; (before, after) by database name."""
    steps = discover_steps(PLACEMENT_STEPS_PACKAGE)
    return {
        database.name: await migrate_platform(steps, engine=database.engine)
        for database in all_databases()
        if not database.is_home
    }


async def tenants_behind(version: int) -> list[asyncpg.Record]:
    """The one query that tells which tenants are behind ``version``."""
    async with get_engine().transaction() as transaction:
        return await transaction.connection.fetch(
            "SELECT id, slug, placement, schema_version FROM public.tenants WHERE schema_version < $1"
            " ORDER BY id",
            version,
        )


async def migrate_tenant(
    tenant_id: int, schema: TenantSchema, lock_timeout_ms: int, placement: str = "default"
) -> tuple[int, int]:
    """Bring one tenant to ``schema.version``, one committed transaction per step, on its placement's database."""
    if is_remote(placement):
        return await _migrate_placed(tenant_id, database_for(placement).engine, schema, lock_timeout_ms)
    first_version: int | None = None
    while True:
        async with transaction_on(get_engine()) as transaction:
            # Locking the registry row keeps two migrators off one tenant; the version read here is the truth.
            current, stepped = await _next_step(
                transaction.connection, "tenants", tenant_id, schema, lock_timeout_ms
            )
            first_version = current if first_version is None else first_version
            if stepped is None:
                return first_version, current


async def _migrate_placed(
    tenant_id: int, engine: PostgresEngine, schema: TenantSchema, lock_timeout_ms: int
) -> tuple[int, int]:
    """As ``migrate_tenant`` on a placement database, whose ``tenant_placements`` row holds the true version.

    Each step commits there with its version; the home registry's copy follows in its own commit, so a crash
    between the two leaves the home copy one step behind, which the next run finds and corrects.
    """
    first_version: int | None = None
    while True:
        async with transaction_on(engine) as transaction:
            current, stepped = await _next_step(
                transaction.connection, "tenant_placements", tenant_id, schema, lock_timeout_ms
            )
        first_version = current if first_version is None else first_version
        async with transaction_on(get_engine()) as home:
            await home.connection.execute(_SET_VERSION.format(table="tenants"), tenant_id, stepped or current)
        if stepped is None:
            return first_version, current


_SET_VERSION = "UPDATE public.{table} SET schema_version = $2 WHERE id = $1"


async def _next_step(
    connection: asyncpg.Connection, registry: str, tenant_id: int, schema: TenantSchema, lock_timeout_ms: int
) -> tuple[int, int | None]:
    """Apply the tenant's next pending step; return (version before, version applied or None when current)."""
    await connection.execute("SELECT set_config('lock_timeout', $1, true)", f"{lock_timeout_ms}ms")
    row = await connection.fetchrow(
        f"SELECT schema_name, db_role, schema_version FROM public.{registry} WHERE id = $1 FOR UPDATE",
        tenant_id,
    )
    if row is None:
        raise LookupError(f"tenant {tenant_id} disappeared")
    current = row["schema_version"]
    todo = pending(schema.steps, current)
    if not todo:
        return current, None
    step = todo[0]
    await connection.execute("SELECT set_config('search_path', $1, true)", quote_ident(row["schema_name"]))
    await step.apply(connection)
    await grant_tenant_role(connection, row["schema_name"], row["db_role"], schema.append_only)
    await connection.execute(_SET_VERSION.format(table=registry), tenant_id, step.version)
    return current, step.version


async def migrate_tenants(
    *,
    concurrency: int = 8,
    lock_timeout_ms: int = 5000,
    schema: TenantSchema | None = None,
    on_result: Callable[[TenantResult], None] | None = None,
) -> list[TenantResult]:
    """Migrate every tenant that is behind, ``concurrency`` at a time; never stops for one failure."""
    schema = schema or load_tenant_schema()
    behind = await tenants_behind(schema.version)
    gate = asyncio.Semaphore(concurrency)

    async def one(row: asyncpg.Record) -> TenantResult:
        async with gate:
            result = TenantResult(row["id"], row["slug"], row["schema_version"], row["schema_version"])
            try:
                result.from_version, result.to_version = await migrate_tenant(
                    row["id"], schema, lock_timeout_ms, row["placement"]
                )
            except Exception as error:  # one tenant's failure is reported, never fatal to the run
                result.error = f"{type(error).__name__}: {error}"
                result.to_version = await _version_of(row["id"])
            if on_result is not None:
                on_result(result)
            return result

    return list(await asyncio.gather(*(one(row) for row in behind)))


async def _version_of(tenant_id: int) -> int:
    async with get_engine().transaction() as transaction:
        return (
            await transaction.connection.fetchval(
                "SELECT schema_version FROM public.tenants WHERE id = $1", tenant_id
            )
            or 0
        )


async def migrate_all(
    *,
    concurrency: int = 8,
    lock_timeout_ms: int = 5000,
    on_result: Callable[[TenantResult], None] | None = None,
) -> MigrationReport:
    """``sampark migrate``: the platform first, then every tenant."""
    started = time.perf_counter()
    before, after = await migrate_platform()
    await migrate_placements()
    schema = load_tenant_schema()
    results = await migrate_tenants(
        concurrency=concurrency, lock_timeout_ms=lock_timeout_ms, schema=schema, on_result=on_result
    )
    return MigrationReport(before, after, schema.version, results, time.perf_counter() - started)
