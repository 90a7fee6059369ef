"""Tenant A's lead pages and API, given tenant B's lead id, answer 404 and never touch B's lead."""

from sampark.tenants.leads.services import create_lead, get_lead
from tests.support.web import acting_in, api_session, make_member


async def test_every_lead_endpoint_answers_404_for_another_tenants_id(client, make_tenant) -> None:
    a, b = await make_tenant(), await make_tenant()
    member_a, member_b = await make_member(a), await make_member(b)
    async with acting_in(b, member_b):
        for index in range(3):
            await create_lead({"first_name": f"B filler {index}"})
        lead = (await create_lead({"first_name": "B Lead", "company_name": "B Co"})).id
    async with acting_in(a, member_a):
        await create_lead({"first_name": "A Lead"})
    await api_session(client, a, member_a)
    page, api = f"/t/{a.slug}/leads/{lead}", f"/t/{a.slug}/api/v1/leads/{lead}"
    for url in (page, f"{page}/edit", f"{page}/delete", f"{page}/convert", f"{page}/converted", api):
        assert (await client.get(url)).status_code == 404, url
    token = {"_csrf_token": client.headers["x-csrftoken"]}
    assert (
        await client.post(f"{page}/edit", data={"first_name": "X", "version": "1", **token})
    ).status_code == 404
    assert (await client.post(f"{page}/delete", data={"version": "1", **token})).status_code == 404
    assert (
        await client.post(f"{page}/convert", data={"contact": "new", "version": "1", **token})
    ).status_code == 404
    assert (await client.patch(api, json={"title": "X"}, headers={"If-Match": '"v1"'})).status_code == 404
    assert (await client.post(f"{api}/convert", json={}, headers={"If-Match": '"v1"'})).status_code == 404
    assert (await client.delete(api, headers={"If-Match": '"v1"'})).status_code == 404
    bulk = (
        await client.post(f"/t/{a.slug}/api/v1/leads/bulk", json={"action": "delete", "ids": [lead]})
    ).json()
    assert bulk["skipped"] == [{"id": lead, "reason": "not_found"}]
    names = [item["first_name"] for item in (await client.get(f"/t/{a.slug}/api/v1/leads/")).json()["items"]]
    assert names == ["A Lead"]
    assert "B Lead" not in (await client.get(f"/t/{a.slug}/search", params={"q": "lead"})).text
    async with acting_in(b, member_b):
        untouched = await get_lead(lead)
    assert untouched.first_name == "B Lead" and untouched.version == 1 and untouched.status == "new"
