"""Lead pages: list, create (field errors, duplicates), edit (version conflict), conversion, bulk, escaping."""

from sampark.tenants.contacts.services import create_contact
from sampark.tenants.leads.services import create_lead, get_lead
from tests.support.web import acting_in, csrf_token, make_member, post_form, sign_in


async def _signed_in(client, tenant, role="admin"):
    member = await make_member(tenant, role)
    await sign_in(client, member)
    return member


async def test_create_with_errors_then_success_and_list(client, tenant) -> None:
    await _signed_in(client, tenant)
    base = f"/t/{tenant.slug}/leads"
    bad = await post_form(client, f"{base}/new", f"{base}/new", {"emails": "nope", "status": "new"})
    assert bad.status_code == 400
    assert 'id="emails-error"' in bad.text and 'id="last_name-error"' in bad.text
    made = await post_form(
        client, f"{base}/new", f"{base}/new",
        {"first_name": "Ann", "last_name": "Lee", "company_name": "Acme", "emails": "ann@acme.example, a2@acme.example",
         "status": "new", "source": "form"},
    )  # fmt: skip
    assert made.status_code == 303
    detail = await client.get(made.headers["location"])
    assert "Ann Lee" in detail.text and "a2@acme.example" in detail.text and "History" in detail.text
    listing = await client.get(f"{base}/", params={"status": "new", "source": "form"})
    assert listing.status_code == 200 and "Ann Lee" in listing.text
    assert "Ann Lee" not in (await client.get(f"{base}/", params={"status": "qualified"})).text
    assert (await client.get(f"{base}/", params={"sort": "password"})).status_code == 400
    assert (await client.get(f"{base}/", params={"evil": "1"})).status_code == 400
    assert (await client.get(f"{base}/", params={"status": "bogus"})).status_code == 400
    assert (await client.get(f"{base}/", params={"cursor": "garbage"})).status_code == 400


async def test_duplicate_warning_names_the_contact(client, tenant) -> None:
    admin = await _signed_in(client, tenant)
    async with acting_in(tenant, admin):
        await create_contact({"first_name": "Known", "emails": ["ann@acme.example"]})
    base = f"/t/{tenant.slug}/leads"
    data = {"first_name": "Ann", "emails": "ann@acme.example", "status": "new"}
    found = await post_form(client, f"{base}/new", f"{base}/new", data)
    assert found.status_code == 409 and "This may be a duplicate" in found.text and "Known" in found.text
    anyway = await post_form(client, f"{base}/new", f"{base}/new", {**data, "allow_duplicate": "1"})
    assert anyway.status_code == 303


async def test_stale_edit_shows_a_conflict_and_saves_nothing(client, tenant) -> None:
    admin = await _signed_in(client, tenant)
    async with acting_in(tenant, admin):
        lead = await create_lead({"first_name": "Ann"})
    edit = f"/t/{tenant.slug}/leads/{lead.id}/edit"
    form = await client.get(edit)
    assert 'name="version" value="1"' in form.text
    fields = {
        "first_name": "Ann",
        "title": "CEO",
        "status": "new",
        "version": "1",
        "_csrf_token": csrf_token(form),
    }
    assert (await client.post(edit, data=fields)).status_code == 303
    stale = await client.post(edit, data={**fields, "title": "CFO"})
    assert stale.status_code == 409 and "Someone else changed this record" in stale.text
    async with acting_in(tenant, admin):
        assert (await get_lead(lead.id)).title == "CEO"


async def test_convert_page_creates_contact_company_and_deal(client, tenant) -> None:
    admin = await _signed_in(client, tenant)
    async with acting_in(tenant, admin):
        lead = await create_lead({"first_name": "Ann", "company_name": "Acme", "website": "acme.example"})
    url = f"/t/{tenant.slug}/leads/{lead.id}/convert"
    page = await client.get(url)
    assert page.status_code == 200 and "1. Contact" in page.text and "3. Deal" in page.text
    base_form = {"contact": "new", "company_mode": "new", "company_name": "Acme", "create_deal": "1",
                 "deal_name": "Pilot", "deal_currency": "EUR", "version": "1", "_csrf_token": csrf_token(page)}  # fmt: skip
    refused = await client.post(url, data={**base_form, "deal_amount": "lots"})
    assert refused.status_code == 400 and 'id="deal-amount"' in refused.text
    assert "Acme" not in (await client.get(f"/t/{tenant.slug}/companies/")).text.split("<main")[1]
    done = await client.post(url, data={**base_form, "deal_amount": "500"})
    assert done.status_code == 303 and done.headers["location"].endswith("/converted")
    result = await client.get(done.headers["location"])
    assert "/contacts/" in result.text and "/companies/" in result.text and "Pilot" in result.text
    detail = await client.get(f"/t/{tenant.slug}/leads/{lead.id}")
    assert "read-only" in detail.text and f"/leads/{lead.id}/edit" not in detail.text
    again = await client.get(f"/t/{tenant.slug}/leads/{lead.id}/edit")
    assert again.status_code == 303  # read-only: back to the lead with a notice
    assert (await client.post(url, data={**base_form, "deal_amount": "500"})).status_code == 303


async def test_script_in_a_name_renders_escaped(client, tenant) -> None:
    admin = await _signed_in(client, tenant)
    async with acting_in(tenant, admin):
        lead = await create_lead(
            {"first_name": "<script>alert(1)</script>", "notes": "<img src=x onerror=alert(1)>"}
        )
    for url in (
        f"/t/{tenant.slug}/leads/",
        f"/t/{tenant.slug}/leads/{lead.id}",
        f"/t/{tenant.slug}/search?q=script",
    ):
        text = (await client.get(url)).text
        assert "<script>alert(1)</script>" not in text and "<img src=x" not in text, url
        assert "&lt;script&gt;" in text, url


async def test_bulk_assign_and_delete_respect_ownership(client, tenant) -> None:
    admin = await make_member(tenant)
    seller = await _signed_in(client, tenant, "sales")
    async with acting_in(tenant, admin):
        theirs = await create_lead({"first_name": "Admin's"})
    async with acting_in(tenant, seller):
        mine = await create_lead({"first_name": "Mine"})
    base = f"/t/{tenant.slug}/leads"
    listing = await client.get(f"{base}/")
    assert "Mine" in listing.text and "Admin&#39;s" not in listing.text
    token = csrf_token(listing)
    confirm = await client.post(
        f"{base}/bulk", data={"action": "delete", "ids": [mine.id, theirs.id], "_csrf_token": token}
    )
    assert confirm.status_code == 200 and "Delete the selected leads?" in confirm.text
    done = await client.post(
        f"{base}/bulk",
        data={"action": "delete", "confirm": "yes", "ids": [mine.id, theirs.id], "_csrf_token": token},
    )
    assert done.status_code == 303
    async with acting_in(tenant, admin):
        assert await get_lead(mine.id) is None and await get_lead(theirs.id) is not None
