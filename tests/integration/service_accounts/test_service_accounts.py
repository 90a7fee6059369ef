"""Service accounts: created by a tenant admin, keys shown once and stored hashed, scope ∩ role, revocable,
isolated per tenant, and their actions attributed to them in the audit log."""

from __future__ import annotations

import hashlib
import re

from httpx import AsyncClient

from sampark.platform.identity.apikeys import ApiKey
from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.audit.tables import AuditEntry
from tests.integration.account.helpers import bearer, shown_key
from tests.support.web import add_contact, csrf_token, make_member, post_form, sign_in

_ACCOUNT = re.compile(r"/admin/service-accounts/(\d+)")


async def _account(admin: AsyncClient, slug: str, name: str, role: str) -> int:
    base = f"/t/{slug}/admin/service-accounts"
    created = await post_form(admin, base, base, {"name": name, "role": role})
    assert created.status_code == 303, created.text
    match = _ACCOUNT.search(created.headers["location"])
    assert match
    return int(match.group(1))


async def _issue(
    admin: AsyncClient, slug: str, account_id: int, scopes: list[str], name: str = "sync"
) -> str:
    page_url = f"/t/{slug}/admin/service-accounts/{account_id}"
    page = await admin.get(page_url)
    issued = await admin.post(
        f"{page_url}/keys", data={"name": name, "scopes": scopes, "_csrf_token": csrf_token(page)}
    )
    assert issued.status_code == 200, issued.text
    assert issued.headers["cache-control"] == "no-store"
    return shown_key(issued)


def _contacts(slug: str) -> str:
    return f"/t/{slug}/api/v1/contacts/"


async def _admin(tenant, new_client) -> AsyncClient:
    admin = new_client()
    await sign_in(admin, await make_member(tenant, "admin"))
    return admin


async def test_a_key_lists_contacts_within_its_scope_and_is_refused_outside_it(tenant, new_client) -> None:
    seller = await make_member(tenant, "sales")
    await add_contact(tenant, seller, "Asha")
    admin = await _admin(tenant, new_client)
    account = await _account(admin, tenant.slug, "Website form", "admin")
    key = await _issue(admin, tenant.slug, account, ["contacts:view"])
    [row] = await ApiKey.select().where(ApiKey.service_account == account)
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest() and row["user_id"] is None
    assert key not in (await admin.get(f"/t/{tenant.slug}/admin/service-accounts/{account}")).text
    script = new_client()
    listed = await script.get(_contacts(tenant.slug), headers=bearer(key))
    assert listed.status_code == 200 and [c["first_name"] for c in listed.json()["items"]] == ["Asha"]
    refused = await script.post(_contacts(tenant.slug), json={"first_name": "Ravi"}, headers=bearer(key))
    assert refused.status_code == 403
    [used] = await ApiKey.select(ApiKey.last_used_at).where(ApiKey.id == row["id"])
    assert used["last_used_at"] is not None


async def test_the_accounts_role_narrows_the_key(tenant, new_client) -> None:
    admin = await _admin(tenant, new_client)
    await add_contact(tenant, await make_member(tenant, "sales"), "Hidden")
    account = await _account(admin, tenant.slug, "Reader", "read-only")
    page = await admin.get(f"/t/{tenant.slug}/admin/service-accounts/{account}")
    refused = await admin.post(
        f"/t/{tenant.slug}/admin/service-accounts/{account}/keys",
        data={"name": "too wide", "scopes": ["contacts:create"], "_csrf_token": csrf_token(page)},
    )
    assert refused.status_code == 400 and 'id="scopes-error"' in refused.text
    key = await _issue(admin, tenant.slug, account, ["contacts:view"])
    listed = await new_client().get(_contacts(tenant.slug), headers=bearer(key))
    assert listed.status_code == 200 and [c["first_name"] for c in listed.json()["items"]] == ["Hidden"]


async def test_actions_are_attributed_to_the_service_account(tenant, new_client) -> None:
    admin = await _admin(tenant, new_client)
    account = await _account(admin, tenant.slug, "Importer", "admin")
    key = await _issue(admin, tenant.slug, account, ["contacts:view", "contacts:create"])
    created = await new_client().post(
        _contacts(tenant.slug), json={"first_name": "Ravi"}, headers=bearer(key)
    )
    assert created.status_code == 201, created.text
    async with tenant_context(slug=tenant.slug):
        entries = await AuditEntry.select().where(AuditEntry.object_type == "contact")
    assert [(e["action"], e["actor_user_id"], e["actor_service_account_id"]) for e in entries] == [
        ("create", None, account)
    ]
    viewer = await admin.get(f"/t/{tenant.slug}/admin/audit/?object_type=contact")
    assert f"Service account #{account}" in viewer.text


async def test_a_revoked_key_stops_at_once(tenant, new_client) -> None:
    admin = await _admin(tenant, new_client)
    account = await _account(admin, tenant.slug, "Nightly", "admin")
    key = await _issue(admin, tenant.slug, account, ["contacts:view"])
    script = new_client()
    assert (await script.get(_contacts(tenant.slug), headers=bearer(key))).status_code == 200
    [row] = await ApiKey.select(ApiKey.id).where(ApiKey.service_account == account)
    page_url = f"/t/{tenant.slug}/admin/service-accounts/{account}"
    revoked = await post_form(admin, page_url, f"{page_url}/keys/{row['id']}/revoke", {})
    assert revoked.status_code == 303
    after = await script.get(_contacts(tenant.slug), headers=bearer(key))
    assert after.status_code == 401 and after.json()["error"]["code"] == "invalid_api_key"


async def test_disabling_the_account_stops_every_key(tenant, new_client) -> None:
    admin = await _admin(tenant, new_client)
    account = await _account(admin, tenant.slug, "Old sync", "admin")
    first = await _issue(admin, tenant.slug, account, ["contacts:view"], "one")
    second = await _issue(admin, tenant.slug, account, ["contacts:view"], "two")
    page_url = f"/t/{tenant.slug}/admin/service-accounts/{account}"
    assert (await post_form(admin, page_url, f"{page_url}/disable", {})).status_code == 303
    for key in (first, second):
        assert (await new_client().get(_contacts(tenant.slug), headers=bearer(key))).status_code == 401


async def test_isolation_between_tenants(make_tenant, new_client) -> None:
    home, other = await make_tenant(), await make_tenant()
    admin = await _admin(home, new_client)
    account = await _account(admin, home.slug, "Home sync", "admin")
    key = await _issue(admin, home.slug, account, ["contacts:view"])
    crossed = await new_client().get(_contacts(other.slug), headers=bearer(key))
    assert crossed.status_code == 401
    other_admin = await _admin(other, new_client)
    assert (await other_admin.get(f"/t/{other.slug}/admin/service-accounts/{account}")).status_code == 404
    revoke = await post_form(
        other_admin,
        f"/t/{other.slug}/admin/service-accounts",
        f"/t/{other.slug}/admin/service-accounts/{account}/disable",
        {},
    )
    assert revoke.status_code == 404
    assert (await new_client().get(_contacts(home.slug), headers=bearer(key))).status_code == 200


async def test_only_admins_manage_service_accounts_and_names_are_escaped(tenant, new_client) -> None:
    seller = new_client()
    await sign_in(seller, await make_member(tenant, "sales"))
    assert (await seller.get(f"/t/{tenant.slug}/admin/service-accounts")).status_code == 403
    admin = await _admin(tenant, new_client)
    await _account(admin, tenant.slug, "<script>alert(1)</script>", "admin")
    listing = await admin.get(f"/t/{tenant.slug}/admin/service-accounts")
    assert "<script>alert(1)</script>" not in listing.text and "&lt;script&gt;" in listing.text
    empty = await post_form(
        admin,
        f"/t/{tenant.slug}/admin/service-accounts",
        f"/t/{tenant.slug}/admin/service-accounts",
        {"name": "", "role": "nope"},
    )
    assert empty.status_code == 400 and 'id="name-error"' in empty.text and 'id="role-error"' in empty.text
