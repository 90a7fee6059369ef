"""A request racing an operator's tenant drop answers 404, never 500.

Two real races, each held open with real locks: a request that arrives while ``drop_tenant`` waits on a lock
(refused at the door, the registry says ``dropping``), and a request that entered the tenant just before its
schema went (its tables vanish under it: "relation does not exist", answered 404 since the tenant is gone).
"""

from __future__ import annotations

import asyncio

import asyncpg

from sampark.platform.config.settings import Settings
from sampark.platform.tenancy.naming import quote_ident
from sampark.platform.tenancy.provisioning import drop_tenant, get_tenant
from sampark.platform.tenancy.tables import TenantStatus
from tests.support.web import make_member, sign_in

_WAITING = """
SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT l.granted AND n.nspname = $1
"""


async def _until_waiting(connection: asyncpg.Connection, schema: str, count: int = 1) -> None:
    """Wait until ``count`` lock requests on the schema's tables are queued (the race is then set up)."""
    for _attempt in range(200):
        if await connection.fetchval(_WAITING, schema) >= count:
            return
        await asyncio.sleep(0.025)
    raise AssertionError("nothing ever waited on the lock")


async def test_a_request_during_the_drop_is_refused_as_not_found(client, tenant, database: Settings) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    assert (await client.get(f"/t/{tenant.slug}/contacts/")).status_code == 200
    assert database.database_url
    holder = await asyncpg.connect(database.database_url)
    try:
        # A long transaction in the tenant keeps the drop waiting on its lock.
        blocker = holder.transaction()
        await blocker.start()
        await holder.execute(f"LOCK TABLE {quote_ident(tenant.schema_name)}.contacts IN ACCESS SHARE MODE")
        dropping = asyncio.create_task(drop_tenant(tenant.slug))
        await _until_waiting(holder, tenant.schema_name)
        marked = await get_tenant(tenant.slug)
        assert marked is not None and marked.status == TenantStatus.DROPPING
        page = await client.get(f"/t/{tenant.slug}/contacts/")
        api = await client.get(f"/t/{tenant.slug}/api/v1/contacts/")
        assert page.status_code == 404 and api.status_code == 404
        assert api.json()["error"]["code"] == "not_found"
        await blocker.rollback()
        assert await asyncio.wait_for(dropping, 30) is True
    finally:
        await holder.close()
    assert await get_tenant(tenant.slug) is None


async def test_a_request_whose_tables_vanish_answers_not_found(client, tenant, database: Settings) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    assert database.database_url
    operator = await asyncpg.connect(database.database_url)
    schema = quote_ident(tenant.schema_name)
    try:
        # The drop as it was before the ``dropping`` mark: the registry row and the schema in one transaction.
        drop = operator.transaction()
        await drop.start()
        await operator.execute("DELETE FROM public.tenants WHERE slug = $1", tenant.slug)
        await operator.execute(f"DROP SCHEMA {schema} CASCADE")
        # The request still sees the committed row, enters the tenant, and queues on the dropped tables' locks.
        request = asyncio.create_task(client.get(f"/t/{tenant.slug}/api/v1/contacts/"))
        watcher = await asyncpg.connect(database.database_url)  # sees the schema the drop has not committed
        try:
            await _until_waiting(watcher, tenant.schema_name)
        finally:
            await watcher.close()
        await drop.commit()
        answer = await asyncio.wait_for(request, 30)
    finally:
        await operator.execute(f"DROP OWNED BY {quote_ident(tenant.db_role)}")
        await operator.execute(f"DROP ROLE IF EXISTS {quote_ident(tenant.db_role)}")
        await operator.close()
    assert answer.status_code == 404, answer.text
    assert answer.json()["error"]["code"] == "not_found"


async def test_a_database_error_in_a_live_tenant_is_still_a_server_error(client, tenant, database) -> None:
    """The mapping looks at the registry: a tenant that is still active gets the honest 500."""
    member = await make_member(tenant)
    await sign_in(client, member)
    assert database.database_url
    operator = await asyncpg.connect(database.database_url)
    try:
        await operator.execute(f"DROP TABLE {quote_ident(tenant.schema_name)}.contacts CASCADE")
    finally:
        await operator.close()
    answer = await client.get(f"/t/{tenant.slug}/api/v1/contacts/")
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "internal_error"
