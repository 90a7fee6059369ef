"""Companies: pages and API, domain normalization and duplicates, no hierarchy cycles, and deleting a company
keeps its contacts."""

import pytest

from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.companies.services import CompanyError, update_company
from sampark.tenants.contacts.services import create_contact, get_contact
from tests.support.web import acting_in, add_company, api_session, make_member, post_form, sign_in


def _form(**fields):
    return {
        "name": "",
        "domain": "",
        "industry": "",
        "size": "",
        "parent_id": "",
        "_action": "save",
        **fields,
    }


async def test_company_pages_create_edit_delete_and_keep_contacts(client, tenant) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    new = f"/t/{tenant.slug}/companies/new"
    created = await post_form(
        client, new, new, _form(name="Initech", domain="https://www.Initech.example/about", size="51-200",
                                **{"address-city": "Austin", "address-country": "US"}),
    )  # fmt: skip
    assert created.status_code == 303, created.text
    url = created.headers["location"]
    company_id = int(url.rsplit("/", 1)[1])
    async with acting_in(tenant, member):
        contact = await create_contact({"first_name": "Peter", "company_id": company_id})
    detail = await client.get(url)
    assert "initech.example" in detail.text and "51–200 people" in detail.text  # noqa: RUF001
    assert "Peter" in detail.text
    assert f"/contacts/new?company_id={company_id}" in detail.text

    edit = f"{url}/edit"
    saved = await post_form(
        client, edit, edit, _form(name="Initech Corp", domain="initech.example", version="1")
    )
    assert saved.status_code == 303
    assert "Initech Corp" in (await client.get(url)).text

    deleted = await post_form(client, f"{url}/delete", f"{url}/delete", {"version": "2"})
    assert deleted.status_code == 303
    assert (await client.get(url)).status_code == 404
    async with acting_in(tenant, member):
        kept = await get_contact(contact.id)
        audited = await AuditEntry.count().where(
            (AuditEntry.object_type == "contact") & (AuditEntry.object_id == contact.id)
        )
    assert kept is not None and kept.company_id is None and kept.version == 2
    assert audited == 2  # created, then detached from the deleted company
    history = (await client.get(f"/t/{tenant.slug}/contacts/{contact.id}")).text
    assert f"Company #{company_id}" in history


async def test_duplicate_domain_warns_on_the_page_and_409s_on_the_api(client, tenant) -> None:
    member = await make_member(tenant)
    first = await add_company(tenant, member, "Umbrella", domain="umbrella.example")
    await api_session(client, tenant, member)
    new = f"/t/{tenant.slug}/companies/new"
    warned = await post_form(client, new, new, _form(name="Umbrella Corp", domain="WWW.UMBRELLA.example"))
    assert warned.status_code == 409 and f"/companies/{first}" in warned.text
    api = f"/t/{tenant.slug}/api/v1/companies/"
    refused = await client.post(api, json={"name": "Umbrella 2", "domain": "http://umbrella.example/x"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "duplicate"
    assert refused.json()["error"]["details"]["matches"][0]["id"] == first
    allowed = await client.post(
        f"{api}?allow_duplicate=true", json={"name": "Umbrella 2", "domain": "umbrella.example"}
    )
    assert allowed.status_code == 201 and allowed.json()["domain"] == "umbrella.example"
    bad = await client.post(api, json={"name": "X", "domain": "not a domain"})
    assert bad.status_code == 422 and "domain" in bad.json()["error"]["details"]


async def test_company_api_etags_and_parent_cycles(client, tenant) -> None:
    member = await make_member(tenant)
    await api_session(client, tenant, member)
    api = f"/t/{tenant.slug}/api/v1/companies"
    group = (await client.post(f"{api}/", json={"name": "Group"})).json()
    child = (await client.post(f"{api}/", json={"name": "Child", "parent_id": group["id"]})).json()
    grandchild = (await client.post(f"{api}/", json={"name": "Grandchild", "parent_id": child["id"]})).json()
    assert grandchild["parent_name"] == "Child"
    cycle = await client.patch(
        f"{api}/{group['id']}", json={"parent_id": grandchild["id"]}, headers={"If-Match": '"v1"'}
    )
    assert cycle.status_code == 422 and "parent_id" in cycle.json()["error"]["details"]
    itself = await client.patch(
        f"{api}/{group['id']}", json={"parent_id": group["id"]}, headers={"If-Match": '"v1"'}
    )
    assert itself.status_code == 422
    assert (await client.patch(f"{api}/{group['id']}", json={"name": "G"})).status_code == 428
    renamed = await client.patch(
        f"{api}/{group['id']}", json={"name": "Group plc"}, headers={"If-Match": '"v1"'}
    )
    assert renamed.status_code == 200 and renamed.headers["etag"] == '"v2"'
    assert (await client.delete(f"{api}/{child['id']}", headers={"If-Match": '"v9"'})).status_code == 412
    assert (await client.delete(f"{api}/{child['id']}", headers={"If-Match": '"v1"'})).status_code == 204
    orphan = (await client.get(f"{api}/{grandchild['id']}")).json()
    assert orphan["parent_id"] is None and orphan["version"] == 2
    async with acting_in(tenant, member):
        with pytest.raises(CompanyError):
            await update_company(group["id"], {"parent_id": 999999}, expected_version=None)


async def test_company_list_filters_and_home_card(client, tenant) -> None:
    member = await make_member(tenant)
    for name, domain in (("Alpha", "alpha.example"), ("Beta", "beta.example"), ("Gamma", "")):
        await add_company(tenant, member, name, domain=domain)
    await sign_in(client, member)
    listing = await client.get(f"/t/{tenant.slug}/companies/", params={"sort": "-name"})
    assert listing.text.index("Gamma") < listing.text.index("Alpha")
    filtered = await client.get(f"/t/{tenant.slug}/companies/", params={"domain": "https://Beta.example"})
    assert "Beta" in filtered.text and "Alpha" not in filtered.text
    assert (await client.get(f"/t/{tenant.slug}/companies/", params={"secret": "1"})).status_code == 400
    home = await client.get(f"/t/{tenant.slug}/")
    assert f"/t/{tenant.slug}/companies/summary" in home.text
    card = await client.get(f"/t/{tenant.slug}/companies/summary", headers={"HX-Request": "true"})
    assert '<span class="card-number">3</span>' in card.text and "companies" in card.text
    options = await client.get(f"/t/{tenant.slug}/companies/options", params={"company_search": "bet"})
    assert "Beta" in options.text and "Alpha" not in options.text
