"""Contact pages: create, edit, delete, validation, duplicates, version conflicts, lists and history."""

import html

from sampark.tenants.contacts.services import get_contact, update_contact
from tests.support.web import acting_in, add_company, make_member, post_form, sign_in


def _form(**fields):
    base = {"first_name": "", "last_name": "", "emails": [""], "phones": [""], "phone_labels": [""],
            "lifecycle_stage": "lead", "address_count": "0", "_action": "save"}  # fmt: skip
    return {**base, **fields}


async def test_create_edit_and_see_history(client, tenant) -> None:
    member = await make_member(tenant)
    company = await add_company(tenant, member, "Globex", domain="globex.example")
    await sign_in(client, member)
    new = f"/t/{tenant.slug}/contacts/new"
    created = await post_form(
        client,
        new,
        new,
        _form(
            first_name="Asha", last_name="Rao", emails=["asha@work.example", "Asha@Home.Example"],
            primary_email="1", phones=["+91 98765 43210"], phone_labels=["mobile"], company_id=str(company),
            tags="vip, north", address_count="1", **{"addresses-0-city": "Pune", "addresses-0-country": "IN"},
        ),
    )  # fmt: skip
    assert created.status_code == 303, created.text
    detail_url = created.headers["location"]
    detail = await client.get(detail_url)
    assert "asha@home.example" in detail.text and "+919876543210" in detail.text and "Globex" in detail.text
    contact_id = int(detail_url.rsplit("/", 1)[1])
    async with acting_in(tenant, member):
        contact = await get_contact(contact_id)
    assert contact.emails == ("asha@home.example", "asha@work.example")  # the chosen primary is first
    assert contact.addresses[0]["city"] == "Pune" and contact.tags == ("vip", "north")

    edit = f"{detail_url}/edit"
    page = await client.get(edit)
    assert 'name="version" value="1"' in page.text
    saved = await post_form(
        client, edit, edit,
        _form(first_name="Asha", last_name="Rao-Mehta", emails=["asha@home.example"], phones=["+919876543210"],
              phone_labels=["mobile"], company_id=str(company), lifecycle_stage="customer", version="1"),
    )  # fmt: skip
    assert saved.status_code == 303, saved.text
    detail = (await client.get(detail_url)).text
    history = detail[detail.index('id="history"') :]
    # Field-level before/after, newest first, with who did it.
    assert history.index("Rao-Mehta") < history.index("Created")
    assert "Lifecycle stage" in history and "Customer" in history and "Lead" in history
    assert "Test User" in history
    assert "asha@work.example" in history  # the removed e-mail shows as the before value


async def test_validation_messages_are_inline_and_nothing_is_saved(client, tenant) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    new = f"/t/{tenant.slug}/contacts/new"
    response = await post_form(
        client, new, new, _form(first_name="", emails=["not-an-address"], phones=["12345"], language="zz-qq")
    )
    assert response.status_code == 400
    text = html.unescape(response.text)
    assert "Enter a first name." in text
    assert 'id="emails-0-error"' in response.text and "valid e-mail address" in text
    assert 'id="phones-0-error"' in response.text
    assert 'href="#language"' in response.text  # the error summary links to the field
    assert 'value="not-an-address"' in response.text  # what was typed is kept
    assert "No contacts yet" in (await client.get(f"/t/{tenant.slug}/contacts/")).text


async def test_script_in_a_name_is_escaped_everywhere(client, tenant) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    new = f"/t/{tenant.slug}/contacts/new"
    created = await post_form(
        client, new, new, _form(first_name="<script>alert(1)</script>", last_name='"><img>')
    )
    assert created.status_code == 303
    for url in (
        created.headers["location"],
        f"/t/{tenant.slug}/contacts/",
        f"/t/{tenant.slug}/search?q=script",
    ):
        body = (await client.get(url)).text
        assert "<script>alert(1)</script>" not in body and "<img>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


async def test_duplicate_warning_links_and_create_anyway(client, tenant) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    new = f"/t/{tenant.slug}/contacts/new"
    first = await post_form(client, new, new, _form(first_name="Ravi", emails=["ravi@example.com"]))
    first_url = first.headers["location"]
    warned = await post_form(client, new, new, _form(first_name="Ravi K", emails=["RAVI@example.com"]))
    assert warned.status_code == 409
    assert "This may be a duplicate" in warned.text and f'href="{first_url}"' in warned.text
    assert 'name="allow_duplicate" value="1"' in warned.text
    anyway = await post_form(
        client, new, new, _form(first_name="Ravi K", emails=["ravi@example.com"], allow_duplicate="1")
    )
    assert anyway.status_code == 303 and anyway.headers["location"] != first_url


async def test_a_stale_form_never_overwrites(client, tenant) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    new = f"/t/{tenant.slug}/contacts/new"
    url = (await post_form(client, new, new, _form(first_name="Meera", last_name="Nair"))).headers["location"]
    contact_id = int(url.rsplit("/", 1)[1])
    edit_page = await client.get(f"{url}/edit")  # version 1 in the form
    async with acting_in(tenant, member):
        await update_contact(contact_id, {"last_name": "Pillai"}, expected_version=1)
    stale = await client.post(
        f"{url}/edit",
        data={**_form(first_name="Meera", last_name="Menon", version="1"),
              "_csrf_token": edit_page.text.split('name="_csrf_token" value="')[1].split('"')[0]},
    )  # fmt: skip
    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.text
    assert 'value="Pillai"' in stale.text and 'name="version" value="2"' in stale.text  # current values
    assert "Menon" in stale.text  # what they typed is listed, not saved
    async with acting_in(tenant, member):
        assert (await get_contact(contact_id)).last_name == "Pillai"


async def test_delete_asks_first_and_checks_the_version(client, tenant) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    new = f"/t/{tenant.slug}/contacts/new"
    url = (await post_form(client, new, new, _form(first_name="Tariq"))).headers["location"]
    confirm = await client.get(f"{url}/delete")
    assert "Delete Tariq?" in confirm.text and 'name="version" value="1"' in confirm.text
    stale = await post_form(client, f"{url}/delete", f"{url}/delete", {"version": "0"})
    assert stale.status_code == 409 and (await client.get(url)).status_code == 200
    deleted = await post_form(client, f"{url}/delete", f"{url}/delete", {"version": "1"})
    assert deleted.status_code == 303
    assert (await client.get(url)).status_code == 404


async def test_extra_rows_without_javascript(client, tenant) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    new = f"/t/{tenant.slug}/contacts/new"
    response = await post_form(
        client, new, new, _form(first_name="Ana", emails=["ana@example.com"], _action="add_email")
    )
    assert response.status_code == 200
    assert 'id="emails-1"' in response.text and 'value="ana@example.com"' in response.text
    assert "No contacts yet" in (await client.get(f"/t/{tenant.slug}/contacts/")).text


async def test_list_filters_sorts_pages_and_refuses_unknown_fields(client, tenant) -> None:
    member = await make_member(tenant)
    async with acting_in(tenant, member):
        from sampark.tenants.contacts.services import create_contact

        for index in range(30):
            await create_contact(
                {"first_name": f"Person {index:02d}", "lifecycle_stage": "customer" if index % 2 else "lead",
                 "tags": ["even"] if index % 2 == 0 else []}
            )  # fmt: skip
    await sign_in(client, member)
    base = f"/t/{tenant.slug}/contacts/"
    first = await client.get(base)
    assert "Person 00" in first.text and "Person 24" in first.text and "Person 25" not in first.text
    more = first.text.split('id="more-row"')[1].split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
    fragment = await client.get(more, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "Person 29" in fragment.text and "Person 24" not in fragment.text
    customers = await client.get(base, params={"lifecycle_stage": "customer", "sort": "-name"})
    assert (
        customers.text.index("Person 29") < customers.text.index("Person 01")
        and "Person 02" not in customers.text
    )
    tagged = await client.get(base, params={"tag": "even"})
    assert "Person 02" in tagged.text and "Person 03" not in tagged.text
    assert "No contacts match these filters" in (await client.get(base, params={"name": "nobody"})).text
    unknown = await client.get(base, params={"password": "x"})
    assert unknown.status_code == 400 and "You cannot filter on" in html.unescape(unknown.text)
    assert (await client.get(base, params={"sort": "secret"})).status_code == 400
    assert (await client.get(base, params={"cursor": "garbage"})).status_code == 400


async def test_long_history_pages_newest_first(client, tenant) -> None:
    member = await make_member(tenant)
    async with acting_in(tenant, member):
        from sampark.tenants.contacts.services import create_contact

        contact = await create_contact({"first_name": "Version 0"})
        for version in range(1, 23):
            await update_contact(contact.id, {"first_name": f"Version {version}"}, expected_version=version)
    await sign_in(client, member)
    page = await client.get(f"/t/{tenant.slug}/contacts/{contact.id}")
    history = page.text[page.text.index('id="history"') :]
    assert "Show older changes" in history and "<strong>Created</strong>" not in history
    assert history.index("Version 22") < history.index("Version 10")
    older = history.split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
    fragment = await client.get(older, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "<strong>Created</strong>" in fragment.text and "Version 22" not in fragment.text
