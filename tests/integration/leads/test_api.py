"""The lead JSON API: create/list/get/PATCH/delete with ETag and If-Match, error codes, and conversion."""

from tests.support.web import api_session, make_member


async def test_crud_with_etags_and_error_codes(client, tenant) -> None:
    await api_session(client, tenant, await make_member(tenant))
    api = f"/t/{tenant.slug}/api/v1/leads"
    made = await client.post(
        f"{api}/", json={"first_name": "Ann", "emails": ["ann@acme.example"], "source": "form"}
    )
    assert made.status_code == 201 and made.headers["etag"] == '"v1"'
    lead = made.json()
    assert lead["status"] == "new" and made.headers["location"].endswith(f"/leads/{lead['id']}")
    url = f"{api}/{lead['id']}"
    assert (await client.get(url)).headers["etag"] == '"v1"'
    assert (await client.patch(url, json={"title": "CEO"})).status_code == 428
    stale = await client.patch(url, json={"title": "CEO"}, headers={"If-Match": '"v7"'})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition_failed"
    patched = await client.patch(url, json={"title": "CEO"}, headers={"If-Match": '"v1"'})
    assert (
        patched.status_code == 200 and patched.json()["title"] == "CEO" and patched.headers["etag"] == '"v2"'
    )
    bad = await client.patch(url, json={"emails": ["x"], "status": "won"}, headers={"If-Match": "*"})
    assert bad.status_code == 422 and set(bad.json()["error"]["details"]) >= {"emails.0", "status"}
    assert (await client.post(f"{api}/", json={"first_name": 5})).json()["error"]["code"] == "bad_request"
    assert (await client.post(f"{api}/", json={"nope": 1})).status_code == 400
    dup = await client.post(f"{api}/", json={"first_name": "Ann 2", "emails": ["ANN@acme.example"]})
    assert dup.status_code == 409 and dup.json()["error"]["details"]["matches"][0]["type"] == "lead"
    assert (
        await client.post(
            f"{api}/?allow_duplicate=true", json={"first_name": "Ann 2", "emails": ["ann@acme.example"]}
        )
    ).status_code == 201
    listing = (await client.get(f"{api}/", params={"limit": 1, "sort": "name"})).json()
    assert len(listing["items"]) == 1 and listing["next_cursor"]
    rest = (
        await client.get(f"{api}/", params={"limit": 1, "sort": "name", "cursor": listing["next_cursor"]})
    ).json()
    assert rest["items"][0]["id"] != listing["items"][0]["id"]
    assert (await client.get(f"{api}/", params={"sort": "secret"})).json()["error"]["code"] == "unknown_sort"
    assert (await client.get(f"{api}/", params={"secret": "1"})).json()["error"]["code"] == "unknown_filter"
    assert (await client.get(f"{api}/", params={"status": "x"})).json()["error"]["code"] == "invalid_filter"
    assert (await client.delete(url)).status_code == 428
    assert (await client.delete(url, headers={"If-Match": '"v2"'})).status_code == 204
    assert (await client.get(url)).status_code == 404


async def test_convert_endpoint(client, tenant) -> None:
    await api_session(client, tenant, await make_member(tenant))
    api = f"/t/{tenant.slug}/api/v1/leads"
    lead = (await client.post(f"{api}/", json={"first_name": "Ann", "company_name": "Acme"})).json()
    url = f"{api}/{lead['id']}/convert"
    body = {"company": "new", "deal": {"name": "Pilot", "amount": "x"}}
    assert (await client.post(url, json=body)).status_code == 428
    refused = await client.post(url, json=body, headers={"If-Match": '"v1"'})
    assert refused.status_code == 422 and "deal.amount" in refused.json()["error"]["details"]
    assert (await client.get(f"/t/{tenant.slug}/api/v1/companies/")).json()["items"] == []
    assert (await client.post(url, json={"company": "maybe"}, headers={"If-Match": "*"})).status_code == 422
    done = await client.post(
        url, json={**body, "deal": {"name": "Pilot", "amount": "99.5"}}, headers={"If-Match": '"v1"'}
    )
    assert done.status_code == 200, done.text
    result = done.json()
    assert result["created_contact"] and result["created_company"] and result["deal_id"]
    assert (
        result["lead"]["status"] == "converted"
        and result["lead"]["converted_contact_id"] == result["contact_id"]
    )
    again = await client.post(url, json={}, headers={"If-Match": "*"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "lead_converted"
    locked = await client.patch(f"{api}/{lead['id']}", json={"title": "x"}, headers={"If-Match": "*"})
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "lead_converted"
    contact = (await client.get(f"/t/{tenant.slug}/api/v1/contacts/{result['contact_id']}")).json()
    assert contact["company_id"] == result["company_id"]


async def test_bulk_api(client, tenant) -> None:
    member = await make_member(tenant)
    await api_session(client, tenant, member)
    api = f"/t/{tenant.slug}/api/v1/leads"
    ids = [(await client.post(f"{api}/", json={"first_name": f"L{i}"})).json()["id"] for i in range(2)]
    assert (await client.post(f"{api}/bulk", json={"action": "paint", "ids": ids})).status_code == 400
    assert (await client.post(f"{api}/bulk", json={"action": "assign", "ids": ids})).status_code == 400
    assert (
        await client.post(f"{api}/bulk", json={"action": "assign", "ids": ids, "owner_id": 10**9})
    ).status_code == 422
    done = (await client.post(f"{api}/bulk", json={"action": "delete", "ids": [*ids, 10**9]})).json()
    assert done["changed"] == ids and done["skipped"] == [{"id": 10**9, "reason": "not_found"}]
