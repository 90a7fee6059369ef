"""Roles and teams: the matrix form, the API, built-ins read-only, roles in use kept, everything audited."""

from __future__ import annotations

from sampark.platform.tenancy.context import tenant_connection, tenant_context
from sampark.tenants.audit.tables import AuditEntry
from tests.integration.admin.conftest import api_headers
from tests.support.web import add_contact, make_member, post_form, sign_in


def matrix(**granted: str) -> dict[str, str]:
    """Form fields for the permission matrix: ``contacts_view="own"`` → ``perm.contacts.view=own``."""
    return {f"perm.{key.replace('_', '.', 1)}": scope for key, scope in granted.items()}


async def audit(tenant, object_type: str) -> list[dict]:
    async with tenant_context(slug=tenant.slug):
        query = AuditEntry.select(AuditEntry.action, AuditEntry.changes).where(
            AuditEntry.object_type == object_type
        )
        return await query.order_by(AuditEntry.id).output(load_json=True)


async def test_custom_role_with_own_scope_limits_the_contact_list(app, client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    await sign_in(client, admin)
    new = f"/t/{tenant.slug}/admin/roles/new"
    created = await post_form(
        client,
        new,
        new,
        {
            "name": "Field agent",
            **matrix(contacts_view="own", contacts_create="own"),
            "hidden.contacts": "phone",
        },
    )
    assert created.status_code == 303
    roles = (await client.get(f"/t/{tenant.slug}/api/v1/roles/")).json()["items"]
    agent = next(role for role in roles if role["name"] == "Field agent")
    assert agent["key"] == "field-agent" and not agent["is_builtin"]
    assert agent["permissions"] == {"contacts": {"view": "own", "create": "own"}}
    assert agent["hidden_fields"] == {"contacts": ["phone"]}

    agent_member = await make_member(tenant, "field-agent")
    await add_contact(tenant, admin, "Admin's")
    await add_contact(tenant, agent_member, "Agent's")
    await sign_in(client, agent_member)
    listing = (await client.get(f"/t/{tenant.slug}/api/v1/contacts/")).json()
    assert [item["first_name"] for item in listing["items"]] == ["Agent's"]

    [entry] = await audit(tenant, "role")
    assert entry["action"] == "create" and entry["changes"]["name"] == {
        "before": None,
        "after": "Field agent",
    }


async def test_role_form_validates_inline_and_builtins_are_read_only(client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    await sign_in(client, admin)
    new = f"/t/{tenant.slug}/admin/roles/new"
    bad = await post_form(
        client, new, new, {"name": "", "perm.contacts.view": "everything", "hidden.deals": "Bad Field"}
    )
    assert bad.status_code == 400
    assert 'id="name-error"' in bad.text and "Unknown object, action or scope" in bad.text
    assert "lower-case letters, digits and underscores" in bad.text
    taken = await post_form(client, new, new, {"name": "sales"})
    assert taken.status_code == 400 and "already has this name" in taken.text

    builtin = await client.get(f"/t/{tenant.slug}/admin/roles/sales")
    assert builtin.status_code == 200 and "read-only" in builtin.text and 'name="perm.' not in builtin.text
    headers = await api_headers(client, tenant)
    changed = await client.patch(
        f"/t/{tenant.slug}/api/v1/roles/sales", json={"name": "Sellers"}, headers=headers
    )
    assert changed.status_code == 409 and changed.json()["error"]["code"] == "builtin_role"
    gone = await client.delete(f"/t/{tenant.slug}/api/v1/roles/admin", headers=headers)
    assert gone.status_code == 409
    assert (await client.get(f"/t/{tenant.slug}/admin/roles/no-such-role")).status_code == 404


async def test_role_api_update_and_delete_only_when_unused(client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    await sign_in(client, admin)
    headers = await api_headers(client, tenant)
    base = f"/t/{tenant.slug}/api/v1/roles/"
    made = await client.post(
        base, json={"name": "Analyst", "permissions": {"reports": {"view": "all"}}}, headers=headers
    )
    assert made.status_code == 201, made.text
    key = made.json()["key"]
    invalid = await client.post(
        base, json={"name": "X", "permissions": {"nope": {"view": "all"}}}, headers=headers
    )
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "validation_failed"
    assert "permissions" in invalid.json()["error"]["details"]["fields"]

    updated = await client.patch(
        f"{base}{key}", json={"permissions": {"reports": {"view": "all", "export": "all"}}}, headers=headers
    )
    assert updated.status_code == 200
    assert updated.json()["permissions"] == {"reports": {"view": "all", "export": "all"}}
    assert updated.json()["name"] == "Analyst"

    holder = await make_member(tenant, key)
    in_use = await client.delete(f"{base}{key}", headers=headers)
    assert in_use.status_code == 409 and in_use.json()["error"]["code"] == "role_in_use"
    await client.patch(
        f"/t/{tenant.slug}/api/v1/members/{holder.id}", json={"role": "sales"}, headers=headers
    )
    assert (await client.delete(f"{base}{key}", headers=headers)).status_code == 204
    assert (await client.get(f"{base}{key}")).status_code == 404

    actions = [entry["action"] for entry in await audit(tenant, "role")]
    assert actions == ["create", "update", "delete"]
    [_create, update, _delete] = await audit(tenant, "role")
    assert update["changes"]["permissions"]["before"] == '{"reports": {"view": "all"}}'


async def test_teams_pages_and_api(client, tenant) -> None:
    admin, seller, other = (
        await make_member(tenant, "admin"),
        await make_member(tenant, "sales"),
        await make_member(tenant, "sales"),
    )
    await sign_in(client, admin)
    empty = await client.get(f"/t/{tenant.slug}/admin/teams/")
    assert "No teams yet" in empty.text

    new = f"/t/{tenant.slug}/admin/teams/new"
    page = await client.get(new)
    form = {
        "name": "West India",
        "manager_user_id": str(admin.id),
        "default_locale": "hi-IN",
        "default_time_zone": "Asia/Kolkata",
        "default_currency": "inr",
    }
    bad = await client.post(
        new,
        data={**form, "default_locale": "xx-nope", "default_time_zone": "Mars/Base", "default_currency": "ABC",
              "member_ids": "999999", "_csrf_token": _token(page)},
    )  # fmt: skip
    assert bad.status_code == 400
    for field in ("default_locale", "default_time_zone", "default_currency", "member_ids"):
        assert f'id="{field}-error"' in bad.text, field
    created = await client.post(
        new, data={**form, "member_ids": [str(seller.id), str(other.id)], "_csrf_token": _token(page)}
    )
    assert created.status_code == 303
    teams = (await client.get(f"/t/{tenant.slug}/api/v1/teams/")).json()["items"]
    [team] = teams
    assert team["member_ids"] == sorted([seller.id, other.id])
    assert (team["default_currency"], team["default_time_zone"]) == ("INR", "Asia/Kolkata")

    headers = await api_headers(client, tenant)
    moved = await client.patch(
        f"/t/{tenant.slug}/api/v1/teams/{team['id']}", json={"member_ids": [seller.id]}, headers=headers
    )
    assert moved.status_code == 200 and moved.json()["member_ids"] == [seller.id]
    async with tenant_context(slug=tenant.slug):
        rows = await tenant_connection().fetch("SELECT user_id FROM team_members")
    assert [row["user_id"] for row in rows] == [seller.id]
    dup = await client.post(f"/t/{tenant.slug}/api/v1/teams/", json={"name": "west india"}, headers=headers)
    assert dup.status_code == 422 and "name" in dup.json()["error"]["details"]["fields"]
    assert (
        await client.delete(f"/t/{tenant.slug}/api/v1/teams/{team['id']}", headers=headers)
    ).status_code == 204
    assert [entry["action"] for entry in await audit(tenant, "team")] == ["create", "update", "delete"]


def _token(page) -> str:
    from tests.support.web import csrf_token

    return csrf_token(page)
