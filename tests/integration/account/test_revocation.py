"""A deactivated membership stops everything that speaks for the member in that workspace at once: their
session's next request and their personal API key (other revocations: test_sessions.py, test_api_keys.py,
service_accounts/test_service_accounts.py, admin/test_members.py, test_password_reset.py)."""

from __future__ import annotations

from tests.integration.account.helpers import bearer, create_key, shown_key
from tests.support.web import make_member, post_form, sign_in


async def test_deactivating_a_member_stops_their_session_and_their_api_key_at_once(
    tenant, new_client
) -> None:
    admin, seller = await make_member(tenant, "admin"), await make_member(tenant, "sales")
    admin_browser, seller_browser, script = new_client(), new_client(), new_client()
    await sign_in(admin_browser, admin)
    await sign_in(seller_browser, seller)
    key = shown_key(await create_key(seller_browser, tenant.slug, "sync", ["contacts:view"]))
    api = f"/t/{tenant.slug}/api/v1/contacts"
    assert (await script.get(api, headers=bearer(key))).status_code == 200
    assert (await seller_browser.get(f"/t/{tenant.slug}/")).status_code == 200

    users = f"/t/{tenant.slug}/admin/users/"
    assert (await post_form(admin_browser, users, f"{users}{seller.id}/deactivate", {})).status_code == 303
    refused = await script.get(api, headers=bearer(key))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_api_key"
    assert (await seller_browser.get(f"/t/{tenant.slug}/")).status_code == 404
    assert (await seller_browser.get(api)).status_code == 404

    assert (await post_form(admin_browser, users, f"{users}{seller.id}/reactivate", {})).status_code == 303
    assert (await script.get(api, headers=bearer(key))).status_code == 200
