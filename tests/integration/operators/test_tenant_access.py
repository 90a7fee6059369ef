"""An operator's view into a tenant: read-only (refused by the database too), elevation with a reason that
expires, suspend/resume, and every access in the tenant's audit log and in ``operator_audit``."""

from __future__ import annotations

import time

import asyncpg
import pytest
from httpx import AsyncClient
from litestar import Litestar

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.identity.sessions import SessionStore
from sampark.platform.operators.accounts import get_operator
from sampark.platform.tenancy.context import tenant_connection, tenant_context
from sampark.platform.tenancy.provisioning import get_tenant
from sampark.tenants.access.operators import operator_tenant
from sampark.tenants.access.policy import PermissionDenied, require
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.contacts.services import create_contact
from sampark.web.ops.session import COOKIE
from tests.integration.operators.support import make_operator, ops_post, ops_sign_in
from tests.support.web import add_company, add_contact, make_member, sign_in

INJECTION = '<script>alert("x")</script>'


async def _tenant_log(tenant) -> list[dict]:
    async with tenant_context(slug=tenant.slug):
        return (
            await AuditEntry.select()
            .where(AuditEntry.object_type == "operator_access")
            .order_by(AuditEntry.id)
            .output(load_json=True)
        )


async def _operator_log(operator) -> list[str]:
    rows = (
        await OperatorAudit.select(OperatorAudit.action)
        .where(OperatorAudit.actor == operator.email)
        .order_by(OperatorAudit.id)
    )
    return [row["action"] for row in rows]


async def test_read_only_view_is_audited_and_escaped(client: AsyncClient, app: Litestar, tenant) -> None:
    member = await make_member(tenant)
    await add_contact(tenant, member, INJECTION)
    await add_company(tenant, member, "Acme <b>bold</b>")
    operator = await make_operator(app.state.settings.secret_key)
    await ops_sign_in(client, operator)

    listing = await client.get("/ops/", params={"q": tenant.slug})
    assert listing.status_code == 200 and tenant.slug in listing.text
    page = await client.get(f"/ops/tenants/{tenant.slug}")
    assert page.status_code == 200 and member.email in page.text
    contacts = await client.get(f"/ops/tenants/{tenant.slug}/contacts")
    assert contacts.status_code == 200
    assert INJECTION not in contacts.text and "&lt;script&gt;" in contacts.text
    companies = await client.get(f"/ops/tenants/{tenant.slug}/companies")
    assert "Acme &lt;b&gt;bold&lt;/b&gt;" in companies.text

    entries = await _tenant_log(tenant)
    assert [entry["action"] for entry in entries] == ["view", "view", "view"]
    assert all(entry["changes"]["operator"]["after"] == operator.email for entry in entries)
    assert entries[1]["changes"]["path"]["after"] == f"/ops/tenants/{tenant.slug}/contacts"
    assert (await _operator_log(operator)).count("tenant.view") == 3

    # The tenant's admin sees these entries in their audit viewer, marked as operator access.
    await sign_in(client, member)
    viewer = await client.get(f"/t/{tenant.slug}/admin/audit/", params={"object_type": "operator_access"})
    assert viewer.status_code == 200
    assert "Operator access" in viewer.text and operator.email in viewer.text


async def test_read_only_refuses_writes_over_http_and_in_the_database(
    client: AsyncClient, app: Litestar, tenant
) -> None:
    member = await make_member(tenant)
    operator = await make_operator(app.state.settings.secret_key)
    await ops_sign_in(client, operator)
    refused = await ops_post(
        client, f"/ops/tenants/{tenant.slug}/members/{member.id}/active", {"active": "0"}
    )
    assert refused.status_code == 403

    record = await get_operator(operator.id)
    assert record is not None
    async with operator_tenant(tenant.slug, record, elevated=False):
        with pytest.raises(PermissionDenied):
            require("contacts", "create", record=False)
        require("contacts", "view", record=False)
        # Past the policy, PostgreSQL itself refuses: the transaction is READ ONLY.
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await tenant_connection().execute("INSERT INTO contacts (first_name) VALUES ('sneaky')")
    with pytest.raises(PermissionDenied):
        async with operator_tenant(tenant.slug, record, elevated=False):
            await create_contact({"first_name": "sneaky"})


async def test_elevation_needs_a_reason_is_audited_and_expires(
    client: AsyncClient, app: Litestar, tenant
) -> None:
    member = await make_member(tenant)
    other = await make_member(tenant, role="sales")
    operator = await make_operator(app.state.settings.secret_key)
    await ops_sign_in(client, operator)

    no_reason = await ops_post(client, f"/ops/tenants/{tenant.slug}/elevate", {"reason": "   "})
    assert no_reason.status_code == 400 and "Say why" in no_reason.text
    elevated = await ops_post(client, f"/ops/tenants/{tenant.slug}/elevate", {"reason": "Ticket #42 <i>"})
    assert elevated.status_code == 303
    page = await client.get(f"/ops/tenants/{tenant.slug}")
    assert "Ticket #42 &lt;i&gt;" in page.text

    changed = await ops_post(client, f"/ops/tenants/{tenant.slug}/members/{other.id}/active", {"active": "0"})
    assert changed.status_code == 303
    async with tenant_context(slug=tenant.slug):
        change = (
            await AuditEntry.select()
            .where((AuditEntry.object_type == "member") & (AuditEntry.object_id == other.id))
            .output(load_json=True)
            .first()
        )
    assert change["changes"]["is_active"] == {"before": True, "after": False}
    assert change["changes"]["operator"]["after"] == operator.email
    await client.get(f"/ops/tenants/{tenant.slug}/contacts")
    actions = [entry["action"] for entry in await _tenant_log(tenant)]
    assert actions == ["elevate", "elevated_view", "elevated_view", "elevated_view"]
    elevate_entry = next(entry for entry in await _tenant_log(tenant) if entry["action"] == "elevate")
    assert elevate_entry["changes"]["reason"]["after"] == "Ticket #42 <i>"
    assert "tenant.elevate" in await _operator_log(operator)

    # Time-boxed: once the grant's time is up, the operator is read-only again.
    store = SessionStore(app.state.redis)
    session_id = client.cookies.get(COOKIE)
    session = await store.load(session_id)
    assert session is not None
    session.data["elevations"][tenant.slug]["until"] = time.time() - 1
    await store.save(session_id, session.data)
    again = await ops_post(client, f"/ops/tenants/{tenant.slug}/members/{other.id}/active", {"active": "1"})
    assert again.status_code == 403
    assert member.id  # the admin stays untouched


async def test_suspend_and_resume_from_the_console(client: AsyncClient, app: Litestar, tenant) -> None:
    operator = await make_operator(app.state.settings.secret_key)
    await ops_sign_in(client, operator)
    no_reason = await ops_post(client, f"/ops/tenants/{tenant.slug}/status", {"status": "suspended"})
    assert no_reason.status_code == 303
    assert (await get_tenant(tenant.slug)).status == "active"  # type: ignore[union-attr]

    await ops_post(
        client, f"/ops/tenants/{tenant.slug}/status", {"status": "suspended", "status_reason": "abuse report"}
    )
    assert (await get_tenant(tenant.slug)).status == "suspended"  # type: ignore[union-attr]
    data = await client.get(f"/ops/tenants/{tenant.slug}/contacts")
    assert data.status_code == 303  # a suspended tenant's data cannot be opened
    await ops_post(
        client, f"/ops/tenants/{tenant.slug}/status", {"status": "active", "status_reason": "resolved"}
    )
    assert (await get_tenant(tenant.slug)).status == "active"  # type: ignore[union-attr]

    log = await _operator_log(operator)
    assert "tenant.suspend" in log and "tenant.resume" in log
    actions = [entry["action"] for entry in await _tenant_log(tenant)]
    assert "suspend" in actions and "resume" in actions


async def test_unknown_tenant_is_404(client: AsyncClient, app: Litestar) -> None:
    operator = await make_operator(app.state.settings.secret_key)
    await ops_sign_in(client, operator)
    for path in ("/ops/tenants/no-such-tenant", "/ops/tenants/no-such-tenant/contacts"):
        assert (await client.get(path)).status_code == 404
    bad_cursor = await client.get("/ops/", params={"before": "x"})
    assert bad_cursor.status_code == 400
