"""Provisioning is all or nothing; slugs are checked; suspend, resume and drop do what they say."""

from __future__ import annotations

import asyncio
import dataclasses

import asyncpg
import pytest

from sampark.platform.db.engine import get_engine
from sampark.platform.outbox.service import enqueue
from sampark.platform.tenancy.context import TenantNotFound, tenant_context
from sampark.platform.tenancy.provisioning import (
    NewTenant,
    ProvisioningError,
    drop_tenant,
    get_tenant,
    provision_tenant,
    set_status,
)
from sampark.platform.tenancy.schema import TenantSchema, load_tenant_schema
from sampark.platform.tenancy.tables import TenantStatus
from sampark.tenants.contacts.tables import Contact
from tests.conftest import unique_slug


@dataclasses.dataclass(frozen=True)
class HalfwayBrokenSchema(TenantSchema):
    """The real baseline with a statement that fails after the first table and its index exist."""

    def baseline(self) -> list[str]:
        good = super().baseline()
        return [*good[:2], "CREATE TABLE halfway (id no_such_type)", *good[2:]]


def broken_schema() -> TenantSchema:
    real = load_tenant_schema()
    return HalfwayBrokenSchema(tables=real.tables, steps=real.steps, append_only=real.append_only)


async def _fetchval(query: str, *args: object) -> object:
    async with get_engine().transaction() as transaction:
        return await transaction.connection.fetchval(query, *args)


async def _namespaces_and_roles() -> tuple[set[str], set[str]]:
    async with get_engine().transaction() as transaction:
        connection = transaction.connection
        schemas = {
            r[0]
            for r in await connection.fetch(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'"
            )
        }
        roles = {
            r[0]
            for r in await connection.fetch("SELECT rolname FROM pg_roles WHERE rolname LIKE 'sampark\\_t%'")
        }
    return schemas, roles


async def test_failure_halfway_through_the_baseline_leaves_nothing(database) -> None:
    slug = unique_slug()
    schemas_before, roles_before = await _namespaces_and_roles()
    with pytest.raises(asyncpg.UndefinedObjectError, match="no_such_type"):
        await provision_tenant(NewTenant(slug=slug, name="Broken Co", region="EU"), schema=broken_schema())
    # The id drawn for the failed attempt is the sequence's last value (sequences are not rolled back).
    tenant_id = await _fetchval("SELECT last_value FROM public.tenants_id_seq")
    assert await get_tenant(slug) is None
    assert not await _fetchval("SELECT count(*) FROM pg_namespace WHERE nspname = $1", f"tenant_{tenant_id}")
    assert not await _fetchval(
        "SELECT count(*) FROM pg_roles WHERE rolname LIKE $1", f"sampark\\_t{tenant_id}\\_%"
    )
    assert await _namespaces_and_roles() == (schemas_before, roles_before)
    # Nothing half-made blocks the slug: the same tenant provisions cleanly with the real schema.
    tenant = await provision_tenant(NewTenant(slug=slug, name="Fixed Co", region="EU"))
    try:
        async with tenant_context(slug=slug):
            assert await Contact.count() == 0
    finally:
        await drop_tenant(tenant.slug)


async def test_failure_inside_a_callers_transaction_rolls_back_only_the_tenant(database) -> None:
    slug = unique_slug()
    async with get_engine().transaction() as transaction:
        connection = transaction.connection
        with pytest.raises(asyncpg.UndefinedObjectError):
            await provision_tenant(
                NewTenant(slug=slug, name="Broken Co", region="EU"),
                connection=connection,
                schema=broken_schema(),
            )
        # The caller's transaction is still usable after the savepoint rolled back.
        assert await connection.fetchval("SELECT count(*) FROM public.tenants WHERE slug = $1", slug) == 0
    assert await get_tenant(slug) is None


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        ("A-corp", "slug_invalid"),
        ("ab_c", "slug_invalid"),
        ("-abc", "slug_invalid"),
        ("abc-", "slug_invalid"),
        ("a--b", "slug_invalid"),
        ("ab", "slug_invalid"),
        ("1abc", "slug_invalid"),
        ("a" * 64, "slug_invalid"),
        ("tenant; drop", "slug_invalid"),
        ("admin", "slug_reserved"),
        ("api", "slug_reserved"),
    ],
)
async def test_bad_slugs_are_refused_before_anything_is_made(database, slug: str, code: str) -> None:
    before = await _fetchval("SELECT last_value FROM public.tenants_id_seq")
    with pytest.raises(ProvisioningError) as error:
        await provision_tenant(NewTenant(slug=slug, name="X", region="EU"))
    assert error.value.code == code
    assert await _fetchval("SELECT last_value FROM public.tenants_id_seq") == before


async def test_duplicate_slug_is_refused(make_tenant) -> None:
    tenant = await make_tenant()
    with pytest.raises(ProvisioningError) as error:
        await provision_tenant(NewTenant(slug=tenant.slug, name="Copy Co", region="UK"))
    assert error.value.code == "slug_taken"
    assert await _fetchval("SELECT count(*) FROM public.tenants WHERE slug = $1", tenant.slug) == 1
    assert (await get_tenant(tenant.slug)).name == "Test Co"


async def test_suspend_closes_the_context_and_resume_reopens_it(tenant) -> None:
    suspended = await set_status(tenant.slug, TenantStatus.SUSPENDED)
    assert suspended is not None and suspended.status == TenantStatus.SUSPENDED
    with pytest.raises(TenantNotFound):
        async with tenant_context(slug=tenant.slug):
            pass
    with pytest.raises(TenantNotFound):
        async with tenant_context(tenant_id=tenant.id):
            pass
    await set_status(tenant.slug, TenantStatus.ACTIVE)
    async with tenant_context(slug=tenant.slug) as current:
        await Contact.insert(Contact(first_name="Back"))
        assert current.id == tenant.id
        assert await Contact.count() == 1


async def test_drop_removes_schema_role_and_row(database) -> None:
    tenant = await provision_tenant(NewTenant(slug=unique_slug(), name="Doomed Co", region="IN"))
    async with tenant_context(slug=tenant.slug):
        await Contact.insert(Contact(first_name="Ravi"))
    assert await drop_tenant(tenant.slug) is True
    assert await get_tenant(tenant.slug) is None
    assert not await _fetchval("SELECT count(*) FROM pg_namespace WHERE nspname = $1", tenant.schema_name)
    assert not await _fetchval("SELECT count(*) FROM pg_roles WHERE rolname = $1", tenant.db_role)
    with pytest.raises(TenantNotFound):
        async with tenant_context(slug=tenant.slug):
            pass
    assert await drop_tenant(tenant.slug) is False


async def test_drop_takes_the_tenants_queued_work_along(make_tenant) -> None:
    doomed, kept = await make_tenant(), await make_tenant()
    for tenant in (doomed, kept):
        async with tenant_context(slug=tenant.slug):
            await enqueue("system.record_event", f"pending-{tenant.slug}")
        await _fetchval(
            "INSERT INTO public.reminder_queue (tenant_id, task_id, remind_at) VALUES ($1, 1, now()) RETURNING id",
            tenant.id,
        )
    assert await drop_tenant(doomed.slug) is True
    for tenant, left in ((doomed, 0), (kept, 1)):
        assert await _fetchval("SELECT count(*) FROM public.outbox WHERE tenant_id = $1", tenant.id) == left
        assert (
            await _fetchval("SELECT count(*) FROM public.reminder_queue WHERE tenant_id = $1", tenant.id)
            == left
        )
    await _fetchval("DELETE FROM public.reminder_queue WHERE tenant_id = $1 RETURNING 1", kept.id)
    await _fetchval("DELETE FROM public.outbox WHERE tenant_id = $1 RETURNING 1", kept.id)


async def test_concurrent_provisioning_all_succeed(database) -> None:
    """Sign-ups arrive at once: every tenant is made (the grants on shared tables must not collide)."""
    slugs = [unique_slug("par") for _ in range(8)]
    results = await asyncio.gather(
        *(provision_tenant(NewTenant(slug=slug, name="Parallel Co", region="EU")) for slug in slugs),
        return_exceptions=True,
    )
    try:
        errors = [f"{type(r).__name__}: {r}" for r in results if isinstance(r, BaseException)]
        assert errors == []
        for slug in slugs:
            async with tenant_context(slug=slug):
                assert await Contact.count() == 0
    finally:
        for result in results:
            if not isinstance(result, BaseException):
                await drop_tenant(result.slug)
