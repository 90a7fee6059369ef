"""API keys: shown once, stored hashed, Bearer on the tenant API, scope intersected with the role, revocable."""

from __future__ import annotations

import hashlib

from httpx import AsyncClient

from sampark.platform.identity.apikeys import ApiKey
from sampark.platform.identity.login_audit import AuthEvent
from sampark.platform.identity.two_factor import set_tenant_requires_2fa
from sampark.platform.identity.users import set_active
from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.audit.tables import AuditEntry
from tests.integration.account.helpers import bearer, create_key, shown_key
from tests.support.web import add_contact, csrf_token, make_member, post_form, sign_in


async def _key(client: AsyncClient, tenant, member, scopes: list[str], name: str = "script") -> str:
    await sign_in(client, member)
    created = await create_key(client, tenant.slug, name, scopes)
    assert created.status_code == 200, created.text
    return shown_key(created)


def _contacts(slug: str) -> str:
    return f"/t/{slug}/api/v1/contacts/"


async def test_a_key_is_shown_once_and_stored_only_as_a_digest(tenant, new_client) -> None:
    member = await make_member(tenant)
    browser = new_client()
    key = await _key(browser, tenant, member, ["contacts:view"], "nightly export")
    assert key.startswith("sk_") and len(key) > 40
    [row] = await ApiKey.select().where(ApiKey.user == member.id)
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(row) and key.startswith(row["prefix"]) and len(row["prefix"]) < 16
    listing = await browser.get("/account/api-keys")
    assert "nightly export" in listing.text and row["prefix"] in listing.text and key not in listing.text
    events = await AuthEvent.select().where(AuthEvent.user_id == member.id)
    assert "api_key_created" in {e["event"] for e in events} and key not in str(events)


async def test_a_key_works_as_bearer_without_cookies_or_csrf(tenant, new_client) -> None:
    member = await make_member(tenant)
    await add_contact(tenant, member, "Asha")
    key = await _key(new_client(), tenant, member, ["contacts:view", "contacts:create"])
    script = new_client()
    listed = await script.get(_contacts(tenant.slug), headers=bearer(key))
    assert listed.status_code == 200 and [c["first_name"] for c in listed.json()["items"]] == ["Asha"]
    created = await script.post(_contacts(tenant.slug), json={"first_name": "Ravi"}, headers=bearer(key))
    assert created.status_code == 201, created.text
    assert not script.cookies  # nothing was set or needed


async def test_scope_is_intersected_with_the_role(tenant, new_client) -> None:
    seller, colleague = await make_member(tenant, "sales"), await make_member(tenant, "sales")
    await add_contact(tenant, seller, "Mine")
    await add_contact(tenant, colleague, "Theirs")
    view_only = await _key(new_client(), tenant, seller, ["contacts:view"])
    script = new_client()
    # A key scoped to viewing cannot create, whatever the role allows.
    refused = await script.post(
        _contacts(tenant.slug), json={"first_name": "Nope"}, headers=bearer(view_only)
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    # And it sees no more than the role does (sales: own contacts only).
    listed = await script.get(_contacts(tenant.slug), headers=bearer(view_only))
    assert [c["first_name"] for c in listed.json()["items"]] == ["Mine"]


async def test_a_key_cannot_be_wider_than_the_role(tenant, new_client) -> None:
    reader = await make_member(tenant, "read-only")
    browser = new_client()
    await sign_in(browser, reader)
    page = await browser.get(f"/account/api-keys?tenant={tenant.slug}")
    assert 'value="contacts:view"' in page.text and 'value="contacts:create"' not in page.text
    refused = await create_key(browser, tenant.slug, "too wide", ["contacts:view", "contacts:create"])
    assert refused.status_code == 400 and 'id="scopes-error"' in refused.text
    nothing = await create_key(browser, tenant.slug, "", [])
    assert nothing.status_code == 400 and 'id="name-error"' in nothing.text
    assert await ApiKey.count().where(ApiKey.user == reader.id) == 0


async def test_a_revoked_key_is_refused_at_once(tenant, new_client) -> None:
    member = await make_member(tenant)
    browser = new_client()
    key = await _key(browser, tenant, member, ["contacts:view"])
    script = new_client()
    assert (await script.get(_contacts(tenant.slug), headers=bearer(key))).status_code == 200
    [row] = await ApiKey.select(ApiKey.id).where(ApiKey.user == member.id)
    revoked = await post_form(browser, "/account/api-keys", f"/account/api-keys/{row['id']}/revoke", {})
    assert revoked.status_code == 303
    after = await script.get(_contacts(tenant.slug), headers=bearer(key))
    assert after.status_code == 401 and after.json()["error"]["code"] == "invalid_api_key"
    assert "No API keys yet." in (await browser.get("/account/api-keys")).text
    assert await ApiKey.count().where((ApiKey.user == member.id) & ApiKey.revoked_at.is_null()) == 0


async def test_unknown_foreign_and_orphaned_keys_answer_401_json(tenant, make_tenant, new_client) -> None:
    script = new_client()
    unknown = await script.get(_contacts(tenant.slug), headers=bearer("sk_" + "x" * 43))
    assert unknown.status_code == 401
    assert unknown.json()["error"]["code"] == "invalid_api_key"
    assert unknown.headers["www-authenticate"].startswith("Bearer")
    member = await make_member(tenant)
    key = await _key(new_client(), tenant, member, ["contacts:view"])
    other = await make_tenant()
    assert (await script.get(_contacts(other.slug), headers=bearer(key))).status_code == 401
    # A key speaks for its user only while they are an active user and member.
    await set_active(member.id, False)
    assert (await script.get(_contacts(tenant.slug), headers=bearer(key))).status_code == 401
    await set_active(member.id, True)
    assert (await script.get(_contacts(tenant.slug), headers=bearer(key))).status_code == 200
    # Pages never take a key.
    page = await script.get(f"/t/{tenant.slug}/contacts/", headers=bearer(key))
    assert page.status_code == 303


async def test_use_is_recorded_at_most_once_a_minute(tenant, new_client) -> None:
    member = await make_member(tenant)
    key = await _key(new_client(), tenant, member, ["contacts:view"])
    script = new_client()
    for _ in range(3):
        assert (await script.get(_contacts(tenant.slug), headers=bearer(key))).status_code == 200
    [row] = await ApiKey.select(ApiKey.id, ApiKey.last_used_at).where(ApiKey.user == member.id)
    assert row["last_used_at"] is not None
    async with tenant_context(slug=tenant.slug):
        uses = await AuditEntry.select().where(
            (AuditEntry.action == "use")
            & (AuditEntry.object_type == "api_key")
            & (AuditEntry.object_id == row["id"])
        )
    assert len(uses) == 1 and uses[0]["actor_user_id"] == member.id


async def test_csrf_still_applies_to_cookie_requests(tenant, new_client) -> None:
    member = await make_member(tenant)
    browser = new_client()
    key = await _key(browser, tenant, member, ["contacts:view", "contacts:create"])
    # A signed-in browser without the token: refused, as before.
    forged = await browser.post(_contacts(tenant.slug), json={"first_name": "Forged"})
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "csrf_failed"
    # A session cookie next to a Bearer key does not buy an exemption either.
    mixed = await browser.post(_contacts(tenant.slug), json={"first_name": "Mixed"}, headers=bearer(key))
    assert mixed.status_code == 403 and mixed.json()["error"]["code"] == "csrf_failed"
    # Nor does a Bearer header on a page form.
    page = await browser.get("/account/security")
    assert csrf_token(page)
    form = await browser.post("/account/security/enrol", headers=bearer(key))
    assert form.status_code == 403


async def test_a_key_is_refused_when_the_tenant_requires_2fa_its_user_lacks(tenant, new_client) -> None:
    member = await make_member(tenant)
    key = await _key(new_client(), tenant, member, ["contacts:view"])
    await set_tenant_requires_2fa(tenant.id, True)
    refused = await new_client().get(_contacts(tenant.slug), headers=bearer(key))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "two_factor_required"
    await set_tenant_requires_2fa(tenant.id, False)
