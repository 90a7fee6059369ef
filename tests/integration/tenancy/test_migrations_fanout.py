"""Tenant migrations fan out over every tenant behind, report failures, go on, and resume.

These run on a scratch database so that the extra test step never reaches other tests' tenants.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from sampark.platform.config.settings import Settings
from sampark.platform.db.engine import get_engine
from sampark.platform.db.steps import SchemaStep
from sampark.platform.tenancy.context import TenantRecord, tenant_context
from sampark.platform.tenancy.migrations import TenantResult, migrate_tenants, tenants_behind
from sampark.platform.tenancy.provisioning import NewTenant, get_tenant, provision_tenant
from sampark.platform.tenancy.schema import TenantSchema, load_tenant_schema
from tests.conftest import unique_slug
from tests.integration.tenancy.databases import engine_on_scratch_database

# Runs are bounded so that a lock_timeout that does not work fails the test instead of hanging it.
RUN_LIMIT_S = 120


def schema_with_nickname() -> TenantSchema:
    """The real tenant schema plus one additive, idempotent step (a column and an index on it)."""
    real = load_tenant_schema()
    step = SchemaStep(
        version=real.version + 1,
        name="test_nickname",
        statements=(
            "ALTER TABLE contacts ADD COLUMN IF NOT EXISTS nickname VARCHAR(50) NOT NULL DEFAULT ''",
            "CREATE INDEX IF NOT EXISTS contacts_nickname ON contacts (lower(nickname))",
        ),
    )
    return TenantSchema(tables=real.tables, steps=(*real.steps, step), append_only=real.append_only)


@pytest.fixture
async def scratch(database: Settings) -> AsyncIterator[list[TenantRecord]]:
    """Five tenants at the current version, alone in their own database."""
    async with engine_on_scratch_database(database):
        yield [
            await provision_tenant(NewTenant(slug=unique_slug("mig"), name=f"Co {n}", region="EU"))
            for n in range(5)
        ]


async def _execute(query: str) -> None:
    async with get_engine().transaction() as transaction:
        await transaction.connection.execute(query)


async def _migrate(schema: TenantSchema, lock_timeout_ms: int = 5000) -> list[TenantResult]:
    reported: list[TenantResult] = []
    results = await asyncio.wait_for(
        migrate_tenants(
            concurrency=3, lock_timeout_ms=lock_timeout_ms, schema=schema, on_result=reported.append
        ),
        RUN_LIMIT_S,
    )
    assert sorted(r.tenant_id for r in reported) == sorted(r.tenant_id for r in results)  # each reported once
    return results


async def _has_nickname(tenant: TenantRecord) -> bool:
    async with get_engine().transaction() as transaction:
        return bool(
            await transaction.connection.fetchval(
                "SELECT count(*) FROM information_schema.columns"
                " WHERE table_schema = $1 AND table_name = 'contacts' AND column_name = 'nickname'",
                tenant.schema_name,
            )
        )


async def test_one_failing_tenant_is_reported_and_the_rest_go_on(scratch: list[TenantRecord]) -> None:
    schema = schema_with_nickname()
    old, new = schema.version - 1, schema.version
    bad = scratch[2]
    # A conflicting column of another type makes the step's index on lower(nickname) fail in that tenant only.
    await _execute(f'ALTER TABLE "{bad.schema_name}".contacts ADD COLUMN nickname INTEGER')
    assert [row["id"] for row in await tenants_behind(new)] == [t.id for t in scratch]

    results = {r.tenant_id: r for r in await _migrate(schema)}
    assert set(results) == {t.id for t in scratch}
    assert not results[bad.id].ok
    assert "lower(integer)" in (results[bad.id].error or "")
    assert (results[bad.id].from_version, results[bad.id].to_version) == (old, old)
    for tenant in scratch:
        if tenant.id != bad.id:
            assert results[tenant.id].ok, results[tenant.id].error
            assert (results[tenant.id].from_version, results[tenant.id].to_version) == (old, new)
            assert (await get_tenant(tenant.slug)).schema_version == new
            assert await _has_nickname(tenant)
    assert (await get_tenant(bad.slug)).schema_version == old
    assert [row["id"] for row in await tenants_behind(new)] == [bad.id]

    # Fix the cause and run again: only the failed tenant is touched, and it completes.
    await _execute(f'ALTER TABLE "{bad.schema_name}".contacts DROP COLUMN nickname')
    rerun = await _migrate(schema)
    assert [(r.tenant_id, r.ok, r.from_version, r.to_version) for r in rerun] == [(bad.id, True, old, new)]
    assert await tenants_behind(new) == []
    # The tenant role was granted what the step made: the new column is usable inside the context.
    async with tenant_context(slug=bad.slug):
        connection = get_engine().current_transaction.get().connection
        await connection.execute("INSERT INTO contacts (first_name, nickname) VALUES ('Ada', 'ada')")
        assert await connection.fetchval("SELECT nickname FROM contacts") == "ada"

    # Nothing is behind any more: a third run does nothing.
    assert await _migrate(schema) == []


async def test_locked_tenant_trips_lock_timeout_and_resumes(
    scratch: list[TenantRecord], database: Settings
) -> None:
    schema = schema_with_nickname()
    locked = scratch[0]
    assert database.database_url
    url = get_engine().config["dsn"]  # the scratch database
    holder = await asyncpg.connect(url)
    try:
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute(f'LOCK TABLE "{locked.schema_name}".contacts IN ACCESS EXCLUSIVE MODE')
        results = {r.tenant_id: r for r in await _migrate(schema, lock_timeout_ms=300)}
        await transaction.rollback()
    finally:
        await holder.close()
    assert not results[locked.id].ok
    assert "LockNotAvailable" in (results[locked.id].error or "")
    assert all(results[t.id].ok for t in scratch if t.id != locked.id)
    assert [row["id"] for row in await tenants_behind(schema.version)] == [locked.id]

    rerun = await _migrate(schema, lock_timeout_ms=300)
    assert [(r.tenant_id, r.ok) for r in rerun] == [(locked.id, True)]
    assert await _has_nickname(locked)


async def test_tenants_behind_lists_exactly_the_behind_tenants(scratch: list[TenantRecord]) -> None:
    current = load_tenant_schema().version
    assert await tenants_behind(current) == []
    behind = [scratch[1], scratch[3]]
    for tenant in behind:
        await _execute(f"UPDATE public.tenants SET schema_version = {current - 1} WHERE id = {tenant.id}")
    rows = await tenants_behind(current)
    assert [(row["id"], row["slug"], row["schema_version"]) for row in rows] == [
        (t.id, t.slug, current - 1) for t in behind
    ]
    assert [row["id"] for row in await tenants_behind(current + 1)] == [t.id for t in scratch]
