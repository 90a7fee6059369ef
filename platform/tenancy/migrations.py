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

from sampark.platform.db.engine import EMPTY_SCHEMA, get_engine
from sampark.platform.db.steps import SchemaStep, discover_steps, pending
from sampark.platform.tenancy.grants import grant_tenant_role
from sampark.platform.tenancy.naming import quote_ident
from sampark.platform.tenancy.schema import TenantSchema, load_tenant_schema

PLATFORM_STEPS_PACKAGE = "sampark.platform.db.migrations"
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


async def migrate_platform(steps: Sequence[SchemaStep] | None = None) -> tuple[int, int]:
    """Apply pending platform steps; return (version before, version after)."""
    steps = steps if steps is not None else discover_steps(PLATFORM_STEPS_PACKAGE)
    async with get_engine().transaction() as transaction:
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


async def tenants_behind(version: int) -> list[asyncpg.Record]:
    """The one query that tells which tenants are behind ``version``."""
    async with get_engine().transaction() as transaction:
        return await transaction.connection.fetch(
            "SELECT id, slug, schema_version FROM public.tenants WHERE schema_version < $1 ORDER BY id",
            version,
        )


async def migrate_tenant(tenant_id: int, schema: TenantSchema, lock_timeout_ms: int) -> tuple[int, int]:
    """Bring one tenant to ``schema.version``, one committed transaction per step."""
    first_version: int | None = None
    while True:
        async with get_engine().transaction() as transaction:
            connection = transaction.connection
            await connection.execute("SELECT set_config('lock_timeout', $1, true)", f"{lock_timeout_ms}ms")
            # Locking the registry row keeps two migrators off one tenant; the version read here is the truth.
            row = await connection.fetchrow(
                "SELECT schema_name, db_role, schema_version FROM public.tenants WHERE id = $1 FOR UPDATE",
                tenant_id,
            )
            if row is None:
                raise LookupError(f"tenant {tenant_id} disappeared")
            current = row["schema_version"]
            first_version = current if first_version is None else first_version
            todo = pending(schema.steps, current)
            if not todo:
                return first_version, current
            step = todo[0]
            await connection.execute(
                "SELECT set_config('search_path', $1, true)", quote_ident(row["schema_name"])
            )
            await step.apply(connection)
            await grant_tenant_role(connection, row["schema_name"], row["db_role"], schema.append_only)
            await connection.execute(
                "UPDATE public.tenants SET schema_version = $2, updated_at = now() WHERE id = $1",
                tenant_id,
                step.version,
            )


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
                    row["id"], schema, lock_timeout_ms
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
    schema = load_tenant_schema()
    results = await migrate_tenants(
        concurrency=concurrency, lock_timeout_ms=lock_timeout_ms, schema=schema, on_result=on_result
    )
    return MigrationReport(before, after, schema.version, results, time.perf_counter() - started)
