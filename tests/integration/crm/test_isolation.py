"""Tenant A's contact and company pages and API, given tenant B's ids, answer 404 and never touch B."""

import pytest

from sampark.tenants.companies.services import get_company
from sampark.tenants.contacts.services import create_contact, get_contact
from tests.support.web import acting_in, add_company, api_session, make_member


@pytest.fixture
async def crossing(client, make_tenant):
    a, b = await make_tenant(), await make_tenant()
    member_a, member_b = await make_member(a), await make_member(b)
    # B gets more rows than A, so B's ids cannot exist in A by accident.
    for index in range(3):
        await add_company(b, member_b, f"B filler {index}")
    company = await add_company(b, member_b, "B Company")
    async with acting_in(b, member_b):
        for index in range(3):
            await create_contact({"first_name": f"B filler {index}"})
        contact = (await create_contact({"first_name": "B Person", "company_id": company})).id
    await add_company(a, member_a, "A Company")
    await api_session(client, a, member_a)
    return a, b, member_b, contact, company


async def test_every_contact_endpoint_answers_404_for_another_tenants_id(client, crossing) -> None:
    a, b, member_b, contact, _company = crossing
    page = f"/t/{a.slug}/contacts/{contact}"
    api = f"/t/{a.slug}/api/v1/contacts/{contact}"
    for url in (page, f"{page}/edit", f"{page}/delete", api):
        assert (await client.get(url)).status_code == 404, url
    token = {"_csrf_token": client.headers["x-csrftoken"]}
    assert (
        await client.post(f"{page}/edit", data={"first_name": "X", "version": "1", **token})
    ).status_code == 404
    assert (await client.post(f"{page}/delete", data={"version": "1", **token})).status_code == 404
    assert (
        await client.patch(api, json={"first_name": "X"}, headers={"If-Match": '"v1"'})
    ).status_code == 404
    assert (await client.delete(api, headers={"If-Match": '"v1"'})).status_code == 404
    listing = (await client.get(f"/t/{a.slug}/api/v1/contacts/")).json()
    assert listing["items"] == []
    assert "B Person" not in (await client.get(f"/t/{a.slug}/search", params={"q": "person"})).text
    async with acting_in(b, member_b):
        untouched = await get_contact(contact)
    assert untouched.first_name == "B Person" and untouched.version == 1


async def test_every_company_endpoint_answers_404_for_another_tenants_id(client, crossing) -> None:
    a, b, member_b, contact, company = crossing
    page = f"/t/{a.slug}/companies/{company}"
    api = f"/t/{a.slug}/api/v1/companies/{company}"
    for url in (page, f"{page}/edit", f"{page}/delete", api):
        assert (await client.get(url)).status_code == 404, url
    token = {"_csrf_token": client.headers["x-csrftoken"]}
    assert (await client.post(f"{page}/edit", data={"name": "X", "version": "1", **token})).status_code == 404
    assert (await client.post(f"{page}/delete", data={"version": "1", **token})).status_code == 404
    assert (await client.patch(api, json={"name": "X"}, headers={"If-Match": '"v1"'})).status_code == 404
    assert (await client.delete(api, headers={"If-Match": '"v1"'})).status_code == 404
    names = [item["name"] for item in (await client.get(f"/t/{a.slug}/api/v1/companies/")).json()["items"]]
    assert names == ["A Company"]
    # B's ids as links and filters in A: refused or empty, never B's data.
    linked = await client.post(
        f"/t/{a.slug}/api/v1/contacts/", json={"first_name": "Y", "company_id": company}
    )
    assert linked.status_code == 422 and "company_id" in linked.json()["error"]["details"]
    filtered = (await client.get(f"/t/{a.slug}/api/v1/contacts/", params={"company_id": company})).json()
    assert filtered["items"] == []
    async with acting_in(b, member_b):
        assert (await get_company(company)).name == "B Company"
        assert (await get_contact(contact)).company_id == company
