"""Owners and hidden fields: who may hand a record to whom, and fields a role never sees or changes."""

from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.access.tables import Role
from sampark.tenants.contacts.services import get_contact
from tests.support.web import acting_in, api_session, make_member


async def test_admin_assigns_owners_and_sales_cannot_give_contacts_away(client, tenant) -> None:
    admin, seller, other = (
        await make_member(tenant),
        await make_member(tenant, "sales"),
        await make_member(tenant, "sales"),
    )
    await api_session(client, tenant, admin)
    api = f"/t/{tenant.slug}/api/v1/contacts/"
    given = await client.post(api, json={"first_name": "Handed", "owner_id": seller.id})
    assert given.status_code == 201 and given.json()["owner_id"] == seller.id
    stranger = await client.post(api, json={"first_name": "Nobody's", "owner_id": 999_999})
    assert stranger.status_code == 422 and "owner_id" in stranger.json()["error"]["details"]

    client.cookies.clear()
    await api_session(client, tenant, seller)
    assert (await client.get(f"{api}{given.json()['id']}")).status_code == 200
    mine = (await client.post(api, json={"first_name": "Mine"})).json()
    refused = await client.patch(
        f"{api}{mine['id']}", json={"owner_id": other.id}, headers={"If-Match": '"v1"'}
    )
    assert refused.status_code == 422 and "owner_id" in refused.json()["error"]["details"]
    async with acting_in(tenant, admin):
        assert (await get_contact(mine["id"])).owner_id == seller.id


async def test_hidden_fields_are_never_shown_nor_changed(client, tenant) -> None:
    async with tenant_context(slug=tenant.slug):
        await Role.insert(
            Role(
                key="no-phones",
                name="No phones",
                permissions={"contacts": {"view": "all", "create": "all", "edit": "all"}},
                hidden_fields={"contacts": ["phones"]},
            )
        )
    admin, restricted = await make_member(tenant), await make_member(tenant, "no-phones")
    await api_session(client, tenant, admin)
    api = f"/t/{tenant.slug}/api/v1/contacts/"
    created = (
        await client.post(api, json={"first_name": "Secret", "phones": [{"number": "+4930123456"}]})
    ).json()

    client.cookies.clear()
    await api_session(client, tenant, restricted)
    seen = await client.get(f"{api}{created['id']}")
    assert seen.json()["phones"] == [] and seen.json()["phone"] == ""
    changed = await client.patch(
        f"{api}{created['id']}",
        json={"phones": [], "last_name": "Kept"},
        headers={"If-Match": seen.headers["etag"]},
    )
    assert changed.status_code == 200 and changed.json()["last_name"] == "Kept"
    assert "+4930123456" not in (await client.get(f"/t/{tenant.slug}/contacts/{created['id']}")).text
    async with acting_in(tenant, admin):
        assert (await get_contact(created["id"])).phone == "+4930123456"


async def test_forms_are_refused_to_roles_that_could_not_save_them(client, tenant) -> None:
    admin, reader, seller = (
        await make_member(tenant),
        await make_member(tenant, "read-only"),
        await make_member(tenant, "sales"),
    )
    async with acting_in(tenant, admin):
        from sampark.tenants.companies.services import create_company
        from sampark.tenants.contacts.services import create_contact

        contact = (await create_contact({"first_name": "Guarded"})).id
        company = (await create_company({"name": "Guarded Ltd"})).id
    await api_session(client, tenant, reader)
    base = f"/t/{tenant.slug}"
    assert (await client.get(f"{base}/contacts/{contact}")).status_code == 200
    for url in (
        "/contacts/new",
        f"/contacts/{contact}/edit",
        f"/contacts/{contact}/delete",
        "/companies/new",
    ):
        assert (await client.get(f"{base}{url}")).status_code == 403, url
    assert (await client.post(f"{base}/api/v1/contacts/", json={"first_name": "No"})).status_code == 403
    client.cookies.clear()
    await api_session(client, tenant, seller)
    assert (await client.get(f"{base}/companies/{company}")).status_code == 200  # sales: view all companies
    assert (await client.get(f"{base}/companies/{company}/edit")).status_code == 403  # edit own only
    assert (await client.get(f"{base}/contacts/{contact}")).status_code == 404  # contacts: own only
