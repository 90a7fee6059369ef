"""The consent JSON API: read and record, with stable error codes for every refusal."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.integration.consent.helpers import own_consent_role
from tests.support.web import add_contact, api_session, make_member

GRANT = {
    "purpose": "sms_marketing", "action": "grant", "lawful_basis": "consent", "source": "form",
    "evidence": "Signed up at the trade fair stand", "version": 0,
}  # fmt: skip


async def test_read_and_record(client: AsyncClient, tenant: Any) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Elif")
    await api_session(client, tenant, admin)
    url = f"/t/{tenant.slug}/api/v1/contacts/{contact}/consent"

    before = await client.get(url)
    assert before.status_code == 200, before.text
    body = before.json()
    assert body["consent_model"] == "opt_in" and len(body["purposes"]) == 5
    assert body["purposes"][1] == {
        "purpose": "sms_marketing", "status": "", "lawful_basis": "", "source": "", "evidence": "",
        "recorded_by": None, "recorded_at": None, "version": 0, "may_contact": False,
    }  # fmt: skip

    granted = await client.post(url, json=GRANT)
    assert granted.status_code == 200, granted.text
    assert granted.json()["status"] == "granted" and granted.json()["may_contact"] is True
    assert granted.json()["version"] == 1 and granted.json()["recorded_by"] == admin.id

    stale = await client.post(url, json={**GRANT, "action": "withdraw"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    assert stale.json()["error"]["details"]["current"]["version"] == 1

    withdrawn = await client.post(url, json={**GRANT, "action": "withdraw", "lawful_basis": "", "version": 1})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert (await client.get(url)).json()["purposes"][1]["may_contact"] is False
    first = await client.get(f"{url}/events", params={"limit": 1})
    assert first.status_code == 200 and [item["action"] for item in first.json()["items"]] == ["withdraw"]
    older = await client.get(f"{url}/events", params={"before": first.json()["next_before"]})
    assert [item["action"] for item in older.json()["items"]] == ["grant"] and older.json()[
        "next_before"
    ] is None
    assert older.json()["items"][0]["evidence"] == GRANT["evidence"]


async def test_refusals_have_stable_codes(client: AsyncClient, make_tenant: Any) -> None:
    tenant, other_tenant = await make_tenant("EU"), await make_tenant("EU")
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Hugo")
    await api_session(client, tenant, admin)
    url = f"/t/{tenant.slug}/api/v1/contacts/{contact}/consent"

    invalid = await client.post(url, json={**GRANT, "purpose": "fax", "lawful_basis": "whim", "evidence": ""})
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "validation_failed"
    assert set(invalid.json()["error"]["details"]) == {"purpose", "lawful_basis", "evidence"}
    malformed = await client.post(url, json={"purpose": 3, "is_admin": True})
    assert malformed.status_code == 400 and malformed.json()["error"]["code"] == "bad_request"
    for contact_id in (999999999, 2**64, 0):
        missing = await client.get(f"/t/{tenant.slug}/api/v1/contacts/{contact_id}/consent")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        assert (
            await client.post(f"/t/{tenant.slug}/api/v1/contacts/{contact_id}/consent", json=GRANT)
        ).status_code == 404
        assert (await client.get(f"/t/{tenant.slug}/contacts/{contact_id}/consent/")).status_code == 404

    # Another tenant's admin cannot read or write this contact's consent by its id.
    await api_session(client, other_tenant, await make_member(other_tenant))
    elsewhere = f"/t/{other_tenant.slug}/api/v1/contacts/{contact}/consent"
    assert (await client.get(elsewhere)).json()["error"]["code"] == "not_found"
    assert (await client.post(elsewhere, json=GRANT)).status_code == 404


async def test_scoped_users(client: AsyncClient, tenant: Any) -> None:
    admin = await make_member(tenant)
    role = await own_consent_role(tenant, admin)
    field, other = await make_member(tenant, role), await make_member(tenant, role)
    theirs = await add_contact(tenant, other, "Theirs")
    await api_session(client, tenant, field)
    url = f"/t/{tenant.slug}/api/v1/contacts/{theirs}/consent"
    assert (await client.get(url)).json()["error"]["code"] == "not_found"
    assert (await client.post(url, json=GRANT)).status_code == 404

    sales = await make_member(tenant, "sales")
    own = await add_contact(tenant, sales, "Own")
    await api_session(client, tenant, sales)
    forbidden = await client.get(f"/t/{tenant.slug}/api/v1/contacts/{own}/consent")
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"

    marketing = await make_member(tenant, "marketing")
    await api_session(client, tenant, marketing)
    assert (await client.get(url)).status_code == 200
    refused = await client.post(url, json=GRANT)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
