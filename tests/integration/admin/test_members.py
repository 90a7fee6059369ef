"""Member administration: role changes and deactivation apply at once; admins are kept; records move, audited."""

from __future__ import annotations

import pytest
from httpx import ASGITransport, AsyncClient

from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.access.catalog import BUILTIN_ROLES
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.access.tables import Role
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.deals.services import create_deal, get_deal, mark_won
from sampark.tenants.leads.services import create_lead, get_lead
from sampark.tenants.tasks.services import complete_task, create_task, get_task
from tests.integration.admin.conftest import api_headers
from tests.support.web import acting_in, add_contact, make_member, post_form, sign_in


async def test_role_change_applies_on_the_next_request(app, client, tenant) -> None:
    admin, colleague = await make_member(tenant, "admin"), await make_member(tenant, "admin")
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as theirs:
        await sign_in(theirs, colleague)
        assert (await theirs.get(f"/t/{tenant.slug}/admin/roles/")).status_code == 200
        await add_contact(tenant, colleague, "Allowed")

        await sign_in(client, admin)
        url = f"/t/{tenant.slug}/admin/users/"
        changed = await post_form(client, url, f"{url}{colleague.id}/role", {"role": "read-only"})
        assert changed.status_code == 303

        # Same session, next request: the new role is in force.
        assert (await theirs.get(f"/t/{tenant.slug}/admin/roles/")).status_code == 403
        refused = await theirs.post(
            f"/t/{tenant.slug}/api/v1/roles/",
            json={"name": "Mine"},
            headers=await _own_headers(theirs, tenant),
        )
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        with pytest.raises(PermissionDenied):
            await add_contact(tenant, colleague, "Refused")
        assert (await theirs.get(f"/t/{tenant.slug}/contacts/")).status_code == 200  # read-only still reads


async def _own_headers(client: AsyncClient, tenant) -> dict[str, str]:
    from tests.support.web import csrf_token

    return {"x-csrftoken": csrf_token(await client.get(f"/t/{tenant.slug}/"))}


async def test_deactivated_member_gets_404_at_once_and_can_come_back(app, client, tenant) -> None:
    admin, seller = await make_member(tenant, "admin"), await make_member(tenant, "sales")
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as theirs:
        await sign_in(theirs, seller)
        assert (await theirs.get(f"/t/{tenant.slug}/")).status_code == 200
        await sign_in(client, admin)
        headers = await api_headers(client, tenant)
        off = await client.patch(
            f"/t/{tenant.slug}/api/v1/members/{seller.id}", json={"active": False}, headers=headers
        )
        assert off.status_code == 200 and off.json()["is_active"] is False
        assert (await theirs.get(f"/t/{tenant.slug}/")).status_code == 404
        assert (await theirs.get(f"/t/{tenant.slug}/api/v1/contacts/")).status_code == 404
        listing = (await client.get(f"/t/{tenant.slug}/api/v1/members/")).json()
        assert {m["user_id"]: m["is_active"] for m in listing["items"]}[seller.id] is False

        url = f"/t/{tenant.slug}/admin/users/"
        assert (await post_form(client, url, f"{url}{seller.id}/reactivate", {})).status_code == 303
        assert (await theirs.get(f"/t/{tenant.slug}/")).status_code == 200


async def test_the_last_admin_cannot_be_demoted_or_deactivated(client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    await sign_in(client, admin)
    headers = await api_headers(client, tenant)
    demote = await client.patch(
        f"/t/{tenant.slug}/api/v1/members/{admin.id}", json={"role": "sales"}, headers=headers
    )
    assert demote.status_code == 409 and demote.json()["error"]["code"] == "last_admin"
    self_off = await client.patch(
        f"/t/{tenant.slug}/api/v1/members/{admin.id}", json={"active": False}, headers=headers
    )
    assert self_off.status_code == 409 and self_off.json()["error"]["code"] == "self_deactivation"
    url = f"/t/{tenant.slug}/admin/users/"
    page = await post_form(client, url, f"{url}{admin.id}/role", {"role": "sales"})
    assert page.status_code == 303
    assert "at least one active admin" in (await client.get(url)).text

    second = await make_member(tenant, "admin")
    moved = await client.patch(
        f"/t/{tenant.slug}/api/v1/members/{second.id}", json={"role": "sales"}, headers=headers
    )
    assert moved.status_code == 200 and moved.json()["role"] == "sales"
    async with tenant_context(slug=tenant.slug):
        entry = await (
            AuditEntry.select(AuditEntry.changes)
            .where((AuditEntry.object_type == "member") & (AuditEntry.object_id == second.id))
            .output(load_json=True)
            .first()
        )
    assert entry == {"changes": {"role": {"before": "admin", "after": "sales"}}}


async def test_no_one_grants_more_than_they_hold(client, tenant) -> None:
    sales = BUILTIN_ROLES["sales"][1]
    lead_permissions = {**sales, "users": {"view": "all", "create": "all", "edit": "all"}}
    async with tenant_context(slug=tenant.slug):
        await Role.insert(
            Role(key="people-lead", name="People lead", permissions=lead_permissions),
            Role(key="intern", name="Intern", permissions={"contacts": {"view": "own"}}),
        )
    lead, seller = await make_member(tenant, "people-lead"), await make_member(tenant, "sales")
    admin = await make_member(tenant, "admin")
    await sign_in(client, lead)
    headers = await api_headers(client, tenant)
    promote = await client.patch(
        f"/t/{tenant.slug}/api/v1/members/{seller.id}", json={"role": "admin"}, headers=headers
    )
    assert promote.status_code == 403 and promote.json()["error"]["code"] == "privilege_escalation"
    demote_admin = await client.patch(
        f"/t/{tenant.slug}/api/v1/members/{admin.id}", json={"role": "intern"}, headers=headers
    )
    assert demote_admin.status_code == 403  # the admin's role reaches further than the lead's
    page = await client.get(f"/t/{tenant.slug}/admin/users/")
    assert 'value="admin"' not in page.text and 'value="intern"' in page.text  # only grantable roles
    allowed = await client.patch(
        f"/t/{tenant.slug}/api/v1/members/{seller.id}", json={"role": "intern"}, headers=headers
    )
    assert allowed.status_code == 200 and allowed.json()["role"] == "intern"


async def test_transfer_moves_contacts_in_one_step_and_audits_each(client, tenant) -> None:
    admin, leaver, heir = [await make_member(tenant, r) for r in ("admin", "sales", "sales")]
    ids = [await add_contact(tenant, leaver, name) for name in ("Asha", "Bruno", "Chen")]
    kept = await add_contact(tenant, heir, "Dara")
    await sign_in(client, admin)
    url = f"/t/{tenant.slug}/admin/users/{leaver.id}/transfer"
    form = await client.get(url)
    assert form.status_code == 200 and "<strong>3</strong>" in form.text

    refused = await post_form(client, url, url, {"to_user_id": str(leaver.id)})
    assert refused.status_code == 400 and 'id="to_user_id-error"' in refused.text
    done = await post_form(client, url, url, {"to_user_id": str(heir.id)})
    assert done.status_code == 303

    async with tenant_context(slug=tenant.slug):
        rows = await Contact.select(Contact.id, Contact.owner_id, Contact.version)
        moves = await (
            AuditEntry.select(AuditEntry.object_id, AuditEntry.changes)
            .where((AuditEntry.object_type == "contact") & (AuditEntry.action == "update"))
            .output(load_json=True)
        )
        summary = await (
            AuditEntry.select(AuditEntry.changes)
            .where((AuditEntry.action == "transfer") & (AuditEntry.object_id == leaver.id))
            .output(load_json=True)
            .first()
        )
    assert {row["id"]: row["owner_id"] for row in rows} == {**dict.fromkeys(ids, heir.id), kept: heir.id}
    assert all(row["version"] == 2 for row in rows if row["id"] in ids)
    assert sorted(move["object_id"] for move in moves) == sorted(ids)
    assert all(move["changes"] == {"owner_id": {"before": leaver.id, "after": heir.id}} for move in moves)
    assert summary["changes"]["contacts"] == {"before": None, "after": 3}

    await sign_in(client, heir)
    listing = (await client.get(f"/t/{tenant.slug}/api/v1/contacts/")).json()
    assert {item["first_name"] for item in listing["items"]} == {"Asha", "Bruno", "Chen", "Dara"}


async def test_transfer_moves_open_deals_leads_and_open_tasks_but_not_closed_deals(client, tenant) -> None:
    admin, leaver, heir = [await make_member(tenant, r) for r in ("admin", "sales", "sales")]
    async with acting_in(tenant, leaver):
        open_deal = await create_deal({"name": "Open one", "amount": "100"})
        won = await create_deal({"name": "Won one", "amount": "200"})
        await mark_won(won.id, expected_version=None)
        lead = await create_lead({"first_name": "Lee"})
        task = await create_task({"title": "Call back", "assignee_id": leaver.id})
        done = await create_task({"title": "Done already", "assignee_id": leaver.id})
        await complete_task(done.id, expected_version=None)
    await sign_in(client, admin)
    url = f"/t/{tenant.slug}/admin/users/{leaver.id}/transfer"
    assert (await post_form(client, url, url, {"to_user_id": str(heir.id)})).status_code == 303
    async with acting_in(tenant, admin):
        assert (await get_deal(open_deal.id)).owner_id == heir.id
        assert (await get_deal(won.id)).owner_id == leaver.id  # who won it stays on record
        assert (await get_lead(lead.id)).owner_id == heir.id
        assert (await get_task(task.id)).assignee_id == heir.id
        assert (await get_task(done.id)).assignee_id == leaver.id
        summary = await (
            AuditEntry.select(AuditEntry.changes)
            .where((AuditEntry.action == "transfer") & (AuditEntry.object_id == leaver.id))
            .output(load_json=True)
            .first()
        )
    moved = {
        key: value["after"] for key, value in summary["changes"].items() if key in ("deals", "leads", "tasks")
    }
    assert moved == {"deals": 1, "leads": 1, "tasks": 1}
