"""Data residency with two databases: an EU tenant's schema and rows live only in the EU placement's database.

The second database sits on the same embedded server (enough to prove routing: every query names no database,
so a row in the wrong one means the routing is wrong). Read both databases directly to see where things landed.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from sampark.platform.db.steps import SchemaStep
from sampark.platform.outbox import service as outbox
from sampark.platform.outbox.relay import OutboxRow, message_id_for, relay_outbox
from sampark.platform.tenancy.context import tenant_connection, tenant_context
from sampark.platform.tenancy.migrations import migrate_tenant, tenants_behind
from sampark.platform.tenancy.schema import TenantSchema, load_tenant_schema
from tests.support.web import api_session, make_member, sign_in


async def _schema_exists(connection: asyncpg.Connection, name: str) -> bool:
    return bool(await connection.fetchval("SELECT 1 FROM pg_namespace WHERE nspname = $1", name))


async def _fill(client: Any, tenant: Any, label: str) -> dict[str, Any]:
    """Create a contact, a deal, a task with a reminder and an activity through the JSON API as an admin."""
    member = await make_member(tenant)
    await api_session(client, tenant, member)
    api = f"/t/{tenant.slug}/api/v1"
    contact = await client.post(f"{api}/contacts/", json={"first_name": f"{label}-contact"})
    assert contact.status_code == 201, contact.text
    deal = await client.post(
        f"{api}/deals", json={"name": f"{label}-deal", "amount": "10", "currency": "EUR"}
    )
    assert deal.status_code == 201, deal.text
    task = await client.post(
        f"{api}/tasks/",
        json={"title": f"{label}-task", "due_at": "2030-01-02T10:00:00+00:00", "reminder": "15m"},
    )
    assert task.status_code == 201, task.text
    link = [{"record_type": "contact", "record_id": contact.json()["id"]}]
    activity = await client.post(
        f"{api}/activities/", json={"kind": "note", "body": f"{label}-note", "links": link}
    )
    assert activity.status_code == 201, activity.text
    return {"member": member, "contact_id": contact.json()["id"]}


async def test_rows_land_only_in_the_placement_database(client, placed_tenant, direct) -> None:
    eu, home = await placed_tenant("eu"), await placed_tenant("default", region="GLOBAL")
    await _fill(client, eu, "eu")
    await _fill(client, home, "home")
    for tenant, here, there in ((eu, "eu", "home"), (home, "home", "eu")):
        schema = tenant.schema_name
        assert await _schema_exists(direct[here], schema)
        assert not await _schema_exists(direct[there], schema)
        label = "eu" if tenant is eu else "home"
        for table, column, value in (
            ("contacts", "first_name", f"{label}-contact"),
            ("deals", "name", f"{label}-deal"),
            ("tasks", "title", f"{label}-task"),
        ):
            found = await direct[here].fetchval(
                f'SELECT count(*) FROM "{schema}".{table} WHERE {column} = $1', value
            )
            assert found == 1, (table, label)
        assert await direct[here].fetchval(f'SELECT count(*) FROM "{schema}".activities') == 1
        assert await direct[here].fetchval(f'SELECT count(*) FROM "{schema}".audit_log') >= 4
        # The reminder queue row was written in the tenant's own transaction, so in its own database.
        queued = "SELECT count(*) FROM public.reminder_queue WHERE tenant_id = $1"
        assert await direct[here].fetchval(queued, tenant.id) == 1
        assert await direct[there].fetchval(queued, tenant.id) == 0
    # The registry stays home and records the placement; the EU database keeps a copy of the names only.
    assert await direct["home"].fetchval("SELECT placement FROM public.tenants WHERE id = $1", eu.id) == "eu"
    assert (
        await direct["eu"].fetchval("SELECT slug FROM public.tenant_placements WHERE id = $1", eu.id)
        == eu.slug
    )
    assert not await direct["eu"].fetchval("SELECT to_regclass('public.users')")


async def test_isolation_holds_across_databases(client, placed_tenant) -> None:
    eu, home = await placed_tenant("eu"), await placed_tenant("default", region="GLOBAL")
    eu_data = await _fill(client, eu, "eu")
    await _fill(client, home, "home")
    # The EU member is no member of the home tenant: 404 on its pages and API, whatever the ids.
    await sign_in(client, eu_data["member"])
    assert (await client.get(f"/t/{home.slug}/contacts/")).status_code == 404
    assert (await client.get(f"/t/{home.slug}/api/v1/contacts/{eu_data['contact_id']}")).status_code in (
        401,
        404,
    )
    listed = await client.get(f"/t/{eu.slug}/api/v1/contacts/")
    assert [item["first_name"] for item in listed.json()["items"]] == ["eu-contact"]
    # The members page reads users and memberships from the home database for a tenant placed elsewhere.
    members = await client.get(f"/t/{eu.slug}/admin/users")
    assert members.status_code == 200 and eu_data["member"].email in members.text
    # Inside the EU tenant the other tenant's schema does not even exist, and its own role is in force.
    async with tenant_context(slug=eu.slug) as tenant:
        connection = tenant_connection()
        assert await connection.fetchval("SELECT current_user") == tenant.db_role
        assert await connection.fetchval("SELECT current_database()") != await _home_database(client)
        with pytest.raises(asyncpg.UndefinedTableError):
            await connection.fetch(f'SELECT * FROM "{home.schema_name}".contacts')


async def _home_database(client: Any) -> str:
    from sampark.platform.db.engine import get_engine

    async with get_engine().pool.acquire() as connection:
        return str(await connection.fetchval("SELECT current_database()"))


async def test_outbox_row_of_an_eu_transaction_is_relayed_exactly_once(placed_tenant, direct) -> None:
    eu = await placed_tenant("eu")
    async with tenant_context(slug=eu.slug):
        row_id = await outbox.enqueue("system.record_event", "residency")
    stored = await direct["eu"].fetchrow("SELECT tenant_id, sent_at FROM public.outbox WHERE id = $1", row_id)
    assert stored["tenant_id"] == eu.id and stored["sent_at"] is None
    sent: list[OutboxRow] = []
    await relay_outbox(sent.append)
    await relay_outbox(sent.append)  # a second run finds nothing left to send
    mine = [row for row in sent if row.tenant_id == eu.id]
    assert [(row.id, row.database, row.message_id) for row in mine] == [
        (row_id, "eu", message_id_for(row_id, "eu"))
    ]
    assert message_id_for(row_id, "eu") != message_id_for(
        row_id
    )  # ids repeat across databases; message ids not
    assert await direct["eu"].fetchval("SELECT sent_at IS NOT NULL FROM public.outbox WHERE id = $1", row_id)


async def test_a_rolled_back_eu_transaction_leaves_no_outbox_row(placed_tenant, direct) -> None:
    eu = await placed_tenant("eu")
    before = await direct["eu"].fetchval("SELECT count(*) FROM public.outbox")
    with pytest.raises(RuntimeError):
        async with tenant_context(slug=eu.slug):
            await outbox.enqueue("system.record_event", "lost")
            raise RuntimeError("business write failed")
    assert await direct["eu"].fetchval("SELECT count(*) FROM public.outbox") == before


async def test_migrations_reach_tenants_on_both_databases(placed_tenant, direct) -> None:
    eu, home = await placed_tenant("eu"), await placed_tenant("default", region="GLOBAL")
    real = load_tenant_schema()
    step = SchemaStep(
        version=real.version + 1,
        name="test_residency",
        statements=("ALTER TABLE contacts ADD COLUMN IF NOT EXISTS residency_probe TEXT",),
    )
    schema = TenantSchema(tables=real.tables, steps=(*real.steps, step), append_only=real.append_only)
    behind = {row["id"]: row["placement"] for row in await tenants_behind(schema.version)}
    assert behind[eu.id] == "eu" and behind[home.id] == "default"
    for tenant in (eu, home):
        assert await migrate_tenant(tenant.id, schema, 5000, behind[tenant.id]) == (
            real.version,
            schema.version,
        )
        assert await migrate_tenant(tenant.id, schema, 5000, behind[tenant.id]) == (
            schema.version,
            schema.version,
        )
    probe = "SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'residency_probe'"
    assert await direct["eu"].fetchval(probe, eu.schema_name) == 1
    assert await direct["home"].fetchval(probe, home.schema_name) == 1
    assert (
        await direct["eu"].fetchval(
            "SELECT schema_version FROM public.tenant_placements WHERE id = $1", eu.id
        )
        == schema.version
    )
    assert (
        await direct["home"].fetchval("SELECT schema_version FROM public.tenants WHERE id = $1", eu.id)
        == schema.version
    )


async def test_dropping_an_eu_tenant_removes_its_schema_there(placed_tenant, direct) -> None:
    from sampark.platform.tenancy.provisioning import drop_tenant

    eu = await placed_tenant("eu")
    assert await drop_tenant(eu.slug)
    assert not await _schema_exists(direct["eu"], eu.schema_name)
    assert not await direct["eu"].fetchval("SELECT 1 FROM public.tenant_placements WHERE id = $1", eu.id)
    assert not await direct["home"].fetchval("SELECT 1 FROM public.tenants WHERE id = $1", eu.id)
