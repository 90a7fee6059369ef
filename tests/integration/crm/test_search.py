"""Global search: prefix matches on names, e-mails and domains, scoped by the role like the lists."""

from sampark.tenants.contacts.services import create_contact
from sampark.tenants.search.services import search
from tests.support.web import acting_in, add_company, make_member, sign_in


async def _contact(tenant, member, **fields) -> int:
    async with acting_in(tenant, member):
        return (await create_contact(fields)).id


async def test_finds_by_name_and_email_prefix_and_domain(client, tenant) -> None:
    member = await make_member(tenant)
    asha = await _contact(
        tenant, member, first_name="Asha", last_name="Sharma", emails=["asha.s@acmecorp.example"]
    )
    await _contact(tenant, member, first_name="José", last_name="Müller")
    await _contact(tenant, member, first_name="राम", last_name="शर्मा")
    acme = await add_company(tenant, member, "Acme Trading", domain="acmecorp.example")
    await sign_in(client, member)
    search = f"/t/{tenant.slug}/search"

    by_name = await client.get(search, params={"q": "ash shar"})
    assert f"/contacts/{asha}" in by_name.text
    by_email = await client.get(search, params={"q": "asha.s@acme"})
    assert f"/contacts/{asha}" in by_email.text
    by_domain = await client.get(search, params={"q": "acmecorp"})
    assert f"/companies/{acme}" in by_domain.text and f"/contacts/{asha}" in by_domain.text
    assert "Müller" in (await client.get(search, params={"q": "mül"})).text
    assert "शर्मा" in (await client.get(search, params={"q": "शर्"})).text
    assert "Nothing matches" in (await client.get(search, params={"q": "zzzz"})).text
    fragment = await client.get(search, params={"q": "asha"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "Asha" in fragment.text


async def test_search_input_is_never_tsquery_syntax(client, tenant) -> None:
    member = await make_member(tenant)
    await _contact(tenant, member, first_name="Plain")
    await sign_in(client, member)
    for q in ["a & b | !c", "':*", "(", "\\", "x' OR '1'='1", "<->", "!" * 300, "a"]:
        response = await client.get(f"/t/{tenant.slug}/search", params={"q": q})
        assert response.status_code == 200, q


async def test_own_scope_sees_only_own_contacts_in_search(client, tenant) -> None:
    seller, other = await make_member(tenant, "sales"), await make_member(tenant, "sales")
    mine = await _contact(tenant, seller, first_name="Kiran", last_name="Mine")
    theirs = await _contact(tenant, other, first_name="Kiran", last_name="Theirs")
    await sign_in(client, seller)
    found = await client.get(f"/t/{tenant.slug}/search", params={"q": "kiran"})
    assert f"/contacts/{mine}" in found.text and f"/contacts/{theirs}" not in found.text
    listed = await client.get(f"/t/{tenant.slug}/contacts/", params={"name": "kiran"})
    assert f"/contacts/{mine}" in listed.text and f"/contacts/{theirs}" not in listed.text


async def test_header_search_box_is_on_tenant_pages(client, tenant) -> None:
    await sign_in(client, await make_member(tenant))
    home = await client.get(f"/t/{tenant.slug}/")
    assert f'action="/t/{tenant.slug}/search"' in home.text and 'id="header-search"' in home.text


async def test_finds_contacts_by_phone_as_typed_in_the_tenant_country(client, make_tenant) -> None:
    tenant = await make_tenant(region="IN")
    member = await make_member(tenant)
    priya = await _contact(tenant, member, first_name="Priya", phones=[{"number": "+91 98765 43210"}])
    other = await _contact(tenant, member, first_name="Other", phones=[{"number": "+44 20 7946 0958"}])
    await sign_in(client, member)
    search = f"/t/{tenant.slug}/search"
    for typed in ("98765 43210", "+91 98765", "0091-98765-432", "(987) 654"):
        page = (await client.get(search, params={"q": typed})).text
        assert f"/contacts/{priya}" in page and f"/contacts/{other}" not in page, typed
    london = (await client.get(search, params={"q": "+44 20 7946"})).text
    assert f"/contacts/{other}" in london and f"/contacts/{priya}" not in london
    assert f"/contacts/{priya}" not in (await client.get(search, params={"q": "12345 67890"})).text

    listed = await client.get(f"/t/{tenant.slug}/contacts/", params={"phone": "98765"})
    assert f"/contacts/{priya}" in listed.text and f"/contacts/{other}" not in listed.text
    too_short = await client.get(f"/t/{tenant.slug}/api/v1/contacts", params={"phone": "12"})
    assert too_short.status_code == 400 and too_short.json()["error"]["code"] == "invalid_filter"
    api = await client.get(f"/t/{tenant.slug}/api/v1/contacts", params={"phone": "+91 98765 43210"})
    assert [item["id"] for item in api.json()["items"]] == [priya]


async def test_names_starting_with_the_text_come_first_in_name_order(client, tenant) -> None:
    member = await make_member(tenant)
    zoe = await _contact(tenant, member, first_name="Zoe", last_name="Anand")
    ana = await _contact(tenant, member, first_name="Ana", last_name="Costa")
    anita = await _contact(tenant, member, first_name="anita", last_name="Silva")
    twice = await _contact(tenant, member, first_name="Anne", last_name="Anne")
    by_mail = await _contact(tenant, member, first_name="Bob", emails=["ana.b@mail.example"])
    async with acting_in(tenant, member):
        found = [contact.id for contact in (await search("an")).contacts]
        # Sorted by the name that matched (Ana, Anand, anita, Anne; "Anne Anne" once), then the e-mail-only match.
        assert found == [ana, zoe, anita, twice, by_mail]
        assert [c.id for c in (await search("ana co")).contacts] == [ana]
        assert [c.id for c in (await search("costa ana")).contacts] == [ana]
        assert [c.id for c in (await search("an", limit=2)).contacts] == [ana, zoe]
