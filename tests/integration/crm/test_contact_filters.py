"""Contacts filter on every plain field: source, language, time zone, country, and creation/change days in the
reader's time zone; bad values answer 400 ``invalid_filter`` on the API and a message on the page."""

from sampark.platform.db.sql import fetch
from sampark.platform.i18n.preferences import set_user_time_zone
from sampark.tenants.contacts.services import create_contact
from sampark.tenants.contacts.tables import Contact
from tests.support.web import acting_in, api_session, make_member, sign_in


async def test_filters_on_plain_fields_and_days(client, tenant) -> None:
    member = await make_member(tenant)
    async with acting_in(tenant, member):
        ravi = await create_contact(
            {"first_name": "Ravi", "source": "referral", "language": "hi", "time_zone": "Asia/Kolkata",
             "addresses": [{"city": "Pune", "country": "IN"}]}
        )  # fmt: skip
        lena = await create_contact(
            {"first_name": "Lena", "source": "event", "language": "de", "time_zone": "Europe/Berlin",
             "addresses": [{"city": "Berlin", "country": "DE"}]}
        )  # fmt: skip
        # Ravi was created at 20:00 UTC on 2026-03-15: the 16th in Kolkata, the 15th in Los Angeles.
        await fetch(Contact, "UPDATE contacts SET created_at = '2026-03-15 20:00+00' WHERE id = $1", ravi.id)
        await fetch(Contact, "UPDATE contacts SET created_at = '2026-03-10 12:00+00' WHERE id = $1", lena.id)
    await api_session(client, tenant, member)
    api = f"/t/{tenant.slug}/api/v1/contacts/"

    async def ids(**params: str) -> list[int]:
        response = await client.get(api, params=params)
        assert response.status_code == 200, response.text
        return sorted(item["id"] for item in response.json()["items"])

    assert await ids(source="referral") == [ravi.id]
    assert await ids(language="DE") == [lena.id]
    assert await ids(time_zone="Asia/Kolkata") == [ravi.id]
    assert await ids(country="de") == [lena.id]
    assert await ids(created_from="2026-03-11") == [ravi.id]
    assert await ids(created_to="2026-03-14") == [lena.id]
    # Days are the reader's: preferences are read at sign-in, so each zone signs in afresh.
    for zone, day in (("Asia/Kolkata", "2026-03-16"), ("America/Los_Angeles", "2026-03-15")):
        await set_user_time_zone(member.id, zone)
        client.cookies.clear()
        await api_session(client, tenant, member)
        assert await ids(created_from=day, created_to=day) == [ravi.id], zone
    for name, value in (("source", "pigeon"), ("country", "XX"), ("created_from", "15/03/2026"),
                        ("time_zone", "Mars/Base"), ("language", "!!")):  # fmt: skip
        bad = await client.get(api, params={name: value})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_filter", (name, bad.text)

    await sign_in(client, member)
    page = await client.get(f"/t/{tenant.slug}/contacts/", params={"country": "IN", "source": "referral"})
    assert f"/contacts/{ravi.id}" in page.text and f"/contacts/{lena.id}" not in page.text
    assert 'id="filter-created_from"' in page.text and '<option value="IN" selected>' in page.text
    refused = await client.get(f"/t/{tenant.slug}/contacts/", params={"created_to": "yesterday"})
    assert refused.status_code == 400 and "Enter a date like 2026-11-22." in refused.text
