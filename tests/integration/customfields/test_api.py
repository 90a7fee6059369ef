"""Custom fields in the contacts and companies JSON API: create, PATCH, filters, 400 for unknown keys."""

from tests.integration.customfields.helpers import TIER, add_field
from tests.support.web import api_session, make_member


async def test_contact_api_create_patch_and_filter(client, tenant) -> None:
    admin = await make_member(tenant)
    await add_field(tenant, admin, **TIER)
    await add_field(tenant, admin, key="score", type="number", label="Score")
    await add_field(tenant, admin, key="notes", type="text", label="Notes")
    await add_field(tenant, admin, key="vip", type="boolean", label="VIP")
    await api_session(client, tenant, admin)
    api = f"/t/{tenant.slug}/api/v1/contacts"
    ann = await client.post(
        f"{api}/", json={"first_name": "Ann", "custom": {"tier": "gold", "score": 5, "vip": True}}
    )
    assert ann.status_code == 201, ann.text
    assert ann.json()["custom"] == {"tier": "gold", "score": 5, "vip": True}
    bob = await client.post(
        f"{api}/",
        json={"first_name": "Bob", "custom": {"tier": "silver", "score": 12, "notes": "Met at Expo"}},
    )
    bad = await client.post(f"{api}/", json={"first_name": "Cy", "custom": {"tier": "tin", "score": "x"}})
    assert bad.status_code == 422
    assert set(bad.json()["error"]["details"]) == {"custom.tier", "custom.score"}

    url = f"{api}/{bob.json()['id']}"
    patched = await client.patch(url, json={"custom": {"score": None}}, headers={"If-Match": '"v1"'})
    assert patched.status_code == 200 and patched.json()["custom"] == {
        "tier": "silver",
        "notes": "Met at Expo",
    }

    async def names(query: str) -> list[str]:
        response = await client.get(f"{api}/?{query}")
        assert response.status_code == 200, response.text
        return [item["first_name"] for item in response.json()["items"]]

    assert await names("cf.tier=gold") == ["Ann"]
    assert await names("cf.score.min=3&cf.score.max=6") == ["Ann"]
    assert await names("cf.notes=expo") == ["Bob"]  # contains, any case
    assert await names("cf.vip=true") == ["Ann"]
    assert await names("cf.vip=false") == ["Bob"]
    for query, code in (("cf.nope=1", "invalid_filter"), ("cf.tier=tin", "invalid_filter"),
                        ("cf.score.min=abc", "invalid_filter"), ("nope=1", "unknown_filter")):  # fmt: skip
        response = await client.get(f"{api}/?{query}")
        assert response.status_code == 400 and response.json()["error"]["code"] == code, query


async def test_company_api_custom_values(client, tenant) -> None:
    admin = await make_member(tenant)
    await add_field(tenant, admin, "companies", key="budget", type="currency", label="Budget")
    await api_session(client, tenant, admin)
    api = f"/t/{tenant.slug}/api/v1/companies"
    made = await client.post(
        f"{api}/", json={"name": "Acme", "custom": {"budget": {"amount": "99.5", "currency": "inr"}}}
    )
    assert made.status_code == 201, made.text
    assert made.json()["custom"] == {"budget": {"amount": "99.5", "currency": "INR"}}
    found = await client.get(f"{api}/?cf.budget.min=50&cf.budget.currency=INR")
    assert [item["name"] for item in found.json()["items"]] == ["Acme"]
    assert (await client.get(f"{api}/?cf.budget.min=100")).json()["items"] == []
    assert (await client.get(f"{api}/?cf.missing=1")).json()["error"]["code"] == "invalid_filter"


async def test_views_api(client, make_tenant) -> None:
    tenant, other = await make_tenant(), await make_tenant()
    admin, sales = await make_member(tenant), await make_member(tenant, "sales")
    await api_session(client, tenant, admin)
    api = f"/t/{tenant.slug}/api/v1/views"
    shared = await client.post(f"{api}/", json={"object": "contacts", "name": "VIPs", "filters": {"tag": "vip"},
                                                "columns": ["email"], "shared": True})  # fmt: skip
    assert shared.status_code == 201, shared.text
    bad = await client.post(f"{api}/", json={"object": "contacts", "name": "", "columns": ["nope"]})
    assert bad.status_code == 422 and set(bad.json()["error"]["details"]) == {"name", "columns"}
    assert (await client.post(f"{api}/", json={"object": "nothing", "name": "x"})).status_code == 404

    await api_session(client, tenant, sales)
    assert [v["name"] for v in (await client.get(f"{api}/?object=contacts")).json()["items"]] == ["VIPs"]
    refused = await client.post(f"{api}/", json={"object": "contacts", "name": "Mine", "shared": True})
    assert refused.status_code == 422 and "shared" in refused.json()["error"]["details"]
    mine = await client.post(f"{api}/", json={"object": "contacts", "name": "Mine"})
    url = f"{api}/{shared.json()['id']}"
    assert (await client.delete(url, headers={"If-Match": '"v1"'})).status_code == 403
    mine_url = f"{api}/{mine.json()['id']}"
    assert (await client.delete(mine_url)).status_code == 428
    assert (await client.delete(mine_url, headers={"If-Match": '"v9"'})).status_code == 412

    await api_session(client, tenant, admin)
    assert (await client.get(mine_url)).status_code == 404  # personal: invisible to others, admins included
    assert (await client.delete(url, headers={"If-Match": '"v1"'})).status_code == 204

    await api_session(client, other, await make_member(other))
    assert (await client.get(f"/t/{other.slug}/api/v1/views/{mine.json()['id']}")).status_code == 404
