"""A Sales user with "own" scope never learns of another user's contact through a timeline link: an activity on
both their contacts shows on theirs, naming only the records they may see (page, fragment and API)."""

from sampark.tenants.activities.services import create_activity
from tests.support.web import acting_in, add_contact, api_session, make_member, sign_in


async def test_a_shared_activity_never_names_a_contact_the_reader_may_not_see(client, tenant) -> None:
    admin = await make_member(tenant)
    seller = await make_member(tenant, role="sales")
    mine = await add_contact(tenant, seller, "Asha")
    theirs = await add_contact(tenant, admin, "Zebulon")
    async with acting_in(tenant, admin):
        await create_activity(
            "meeting",
            {"subject": "Joint visit", "starts_at": "2026-05-01T09:00:00+00:00"},
            links=[f"contact:{mine}", f"contact:{theirs}"],
        )
    await sign_in(client, seller)
    base = f"/t/{tenant.slug}"
    timeline = await client.get(f"{base}/timeline/contact/{mine}", headers={"HX-Request": "true"})
    assert timeline.status_code == 200 and "Joint visit" in timeline.text
    assert "Zebulon" not in timeline.text and f"/contacts/{theirs}" not in timeline.text
    assert (await client.get(f"{base}/timeline/contact/{theirs}")).status_code == 404
    assert "Zebulon" not in (await client.get(f"{base}/search", params={"q": "zebulon"})).text

    client.cookies.clear()
    await api_session(client, tenant, seller)
    listed = await client.get(f"{base}/api/v1/timeline/contact/{mine}")
    assert listed.status_code == 200 and "Joint visit" in listed.text and "Zebulon" not in listed.text
    activities = await client.get(
        f"{base}/api/v1/activities", params={"record_type": "contact", "record_id": mine}
    )
    assert activities.status_code == 200 and "Zebulon" not in activities.text
    assert (await client.get(f"{base}/api/v1/contacts/{theirs}")).status_code == 404
