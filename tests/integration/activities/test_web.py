"""Timeline pages, quick forms, activity pages, the JSON APIs, merge pages, search, and tenant isolation."""

from sampark.tenants.activities.services import create_activity
from sampark.tenants.contacts.services import create_contact, get_contact
from tests.support.web import acting_in, add_company, api_session, csrf_token, make_member, sign_in


async def test_log_a_note_inline_and_see_it_escaped_on_the_timeline(client, tenant) -> None:
    admin = await make_member(tenant)
    await sign_in(client, admin)
    async with acting_in(tenant, admin):
        ann = (await create_contact({"first_name": "Ann"})).id
    base = f"/t/{tenant.slug}"
    detail = await client.get(f"{base}/contacts/{ann}")
    assert f"/timeline/contact/{ann}" in detail.text and f"/contacts/{ann}/merge" in detail.text
    empty = await client.get(f"{base}/timeline/contact/{ann}", headers={"HX-Request": "true"})
    assert empty.status_code == 200 and "<html" not in empty.text and "Log a note" in empty.text
    token = csrf_token(empty)
    bad = await client.post(
        f"{base}/timeline/contact/{ann}", data={"kind": "note", "body": "", "_csrf_token": token}
    )
    assert bad.status_code == 400 and "Write the note." in bad.text
    bad_call = await client.post(
        f"{base}/timeline/contact/{ann}",
        data={"kind": "call", "subject": "x", "duration_minutes": "abc", "_csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert bad_call.status_code == 200 and "Enter minutes from 0 to 1440." in bad_call.text
    body = "<script>alert(1)</script>\nsecond line"
    saved = await client.post(
        f"{base}/timeline/contact/{ann}", data={"kind": "note", "body": body, "_csrf_token": token}
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"{base}/contacts/{ann}#timeline"
    page = await client.get(f"{base}/timeline/contact/{ann}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\nsecond line" in page.text
    assert "Created" in page.text  # the record history is on the timeline too
    meeting = await client.post(
        f"{base}/timeline/contact/{ann}",
        data={"kind": "meeting", "subject": "Demo", "starts_at": "2026-05-01T10:00", "_csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert meeting.status_code == 200 and "Meeting logged." in meeting.text and "Attendees:" in meeting.text
    found = await client.get(f"{base}/search", params={"q": "second line"})
    assert "Notes and activities" in found.text and f"/contacts/{ann}#timeline" in found.text


async def test_timeline_pages_show_older_entries(client, tenant) -> None:
    admin = await make_member(tenant)
    await sign_in(client, admin)
    async with acting_in(tenant, admin):
        ann = (await create_contact({"first_name": "Ann"})).id
        for index in range(25):
            await create_activity("note", {"body": f"note number {index}"}, links=[f"contact:{ann}"])
    url = f"/t/{tenant.slug}/timeline/contact/{ann}"
    first = await client.get(url)
    assert (
        "note number 24" in first.text and "note number 3\n" not in first.text and "Show older" in first.text
    )
    cursor = first.text.split("?before=")[1].split('"')[0]
    older = await client.get(f"{url}?before={cursor}", headers={"HX-Request": "true"})
    assert (
        "note number 0" in older.text
        and "note number 24" not in older.text
        and "Show older" not in older.text
    )


async def test_edit_and_delete_pages_check_the_version(client, tenant) -> None:
    admin = await make_member(tenant)
    await sign_in(client, admin)
    async with acting_in(tenant, admin):
        ann = (await create_contact({"first_name": "Ann"})).id
        note = await create_activity("note", {"body": "first"}, links=[f"contact:{ann}"])
    base = f"/t/{tenant.slug}/activities/{note.id}"
    form = await client.get(f"{base}/edit")
    token = csrf_token(form)
    saved = await client.post(f"{base}/edit", data={"body": "second", "version": "1", "_csrf_token": token})
    assert saved.status_code == 303
    stale = await client.post(f"{base}/edit", data={"body": "third", "version": "1", "_csrf_token": token})
    assert (
        stale.status_code == 409
        and "Someone else changed this record" in stale.text
        and "second" in stale.text
    )
    gone = await client.post(f"{base}/delete", data={"version": "1", "_csrf_token": token})
    assert gone.status_code == 409
    assert (
        await client.post(f"{base}/delete", data={"version": "2", "_csrf_token": token})
    ).status_code == 303
    assert (await client.get(f"{base}/edit")).status_code == 404


async def test_activity_api(client, tenant) -> None:
    admin = await make_member(tenant)
    await api_session(client, tenant, admin)
    async with acting_in(tenant, admin):
        ann = (await create_contact({"first_name": "Ann"})).id
    api = f"/t/{tenant.slug}/api/v1/activities"
    link = [{"record_type": "contact", "record_id": ann}]
    created = await client.post(
        api + "/",
        json={"kind": "call", "subject": "Hi", "duration_minutes": 5, "outcome": "connected", "links": link},
    )
    assert created.status_code == 201, created.text
    item = created.json()
    assert created.headers["etag"] == '"v1"' and item["links"][0]["label"] == "Ann"
    url = f"{api}/{item['id']}"
    assert (await client.post(api + "/", json={"kind": "fax", "links": link})).json()["error"][
        "code"
    ] == "bad_request"
    invalid = await client.post(
        api + "/",
        json={"kind": "note", "links": [{"record_type": "contact", "record_id": 10**12}], "body": "x"},
    )
    assert invalid.status_code == 422 and "links" in invalid.json()["error"]["details"]
    assert (await client.patch(url, json={"subject": "Hey"})).status_code == 428
    stale = await client.patch(url, json={"subject": "Hey"}, headers={"If-Match": '"v9"'})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition_failed"
    patched = await client.patch(url, json={"subject": "Hey"}, headers={"If-Match": '"v1"'})
    assert (
        patched.status_code == 200
        and patched.json()["subject"] == "Hey"
        and patched.headers["etag"] == '"v2"'
    )
    listing = await client.get(api + "/", params={"record_type": "contact", "record_id": ann, "kind": "call"})
    assert [row["id"] for row in listing.json()["items"]] == [item["id"]]
    assert (await client.get(api + "/", params={"colour": "red"})).json()["error"]["code"] == "unknown_filter"
    assert (await client.get(api + "/", params={"record_type": "contact"})).status_code == 400
    assert (await client.get(api + "/", params={"kind": "fax"})).json()["error"]["code"] == "invalid_filter"
    timeline = await client.get(f"/t/{tenant.slug}/api/v1/timeline/contact/{ann}")
    assert [entry["source"] for entry in timeline.json()["items"]][:1] == ["activities"]
    assert (
        await client.get(f"/t/{tenant.slug}/api/v1/timeline/contact/{ann}", params={"before": "x"})
    ).status_code == 400
    assert (await client.get(f"/t/{tenant.slug}/api/v1/timeline/spaceship/{ann}")).status_code == 404
    assert (await client.delete(url, headers={"If-Match": '"v1"'})).status_code == 412
    assert (await client.delete(url, headers={"If-Match": '"v2"'})).status_code == 204
    assert (await client.get(url)).status_code == 404


async def test_merge_page_and_api(client, tenant) -> None:
    admin = await make_member(tenant)
    await api_session(client, tenant, admin)
    async with acting_in(tenant, admin):
        keep = (await create_contact({"first_name": "Ann", "last_name": "Lee"})).id
        gone = (await create_contact({"first_name": "Anne", "last_name": "Leigh"})).id
        third = (await create_contact({"first_name": "Annie"})).id
        await create_activity("note", {"body": "about anne"}, links=[f"contact:{gone}"])
    base = f"/t/{tenant.slug}/contacts/{keep}/merge"
    picker = await client.get(base, params={"q": "ann"})
    assert f"merge?with={gone}" in picker.text and f"merge?with={keep}" not in picker.text
    page = await client.get(base, params={"with": gone})
    assert "Leigh" in page.text and 'name="keep-last_name"' in page.text
    token = csrf_token(page)
    stale = await client.post(
        base, data={"from_id": str(gone), "version": "7", "from_version": "1", "_csrf_token": token}
    )
    assert stale.status_code == 409
    merged = await client.post(
        base,
        data={
            "from_id": str(gone),
            "version": "1",
            "from_version": "1",
            "keep-last_name": "from",
            "_csrf_token": token,
        },
    )
    assert merged.status_code == 303
    timeline = await client.get(f"/t/{tenant.slug}/timeline/contact/{keep}")
    assert "about anne" in timeline.text and "Another record was merged into this one" in timeline.text
    assert (await client.get(f"/t/{tenant.slug}/contacts/{gone}")).status_code == 404
    api = f"/t/{tenant.slug}/api/v1/contacts/{keep}/merge"
    assert (await client.post(api, json={"from_id": third})).status_code == 428
    assert (await client.post(api, json={"from_id": third}, headers={"If-Match": '"v1"'})).status_code == 412
    assert (await client.post(api, json={"from_id": 10**12}, headers={"If-Match": "*"})).status_code == 404
    assert (
        await client.post(
            api, json={"from_id": third, "fields": {"version": "from"}}, headers={"If-Match": "*"}
        )
    ).status_code == 422
    done = await client.post(
        api, json={"from_id": third, "fields": {"first_name": "from"}}, headers={"If-Match": '"v2"'}
    )
    assert done.status_code == 200 and done.json()["first_name"] == "Annie"
    async with acting_in(tenant, admin):
        assert await get_contact(third) is None


async def test_another_tenants_ids_answer_404(client, make_tenant) -> None:
    a, b = await make_tenant(), await make_tenant()
    member_a, member_b = await make_member(a), await make_member(b)
    async with acting_in(b, member_b):
        for index in range(3):
            await create_contact({"first_name": f"filler {index}"})
        contact = (await create_contact({"first_name": "B Person"})).id
        note = (await create_activity("note", {"body": "b secret note"}, links=[f"contact:{contact}"])).id
    for index in range(3):  # B gets more rows than A, so B's ids cannot exist in A by accident
        await add_company(b, member_b, f"B filler {index}")
    company = await add_company(b, member_b, "B Co")
    await add_company(a, member_a, "A Co")
    await api_session(client, a, member_a)
    t = f"/t/{a.slug}"
    for url in (
        f"{t}/timeline/contact/{contact}", f"{t}/timeline/company/{company}", f"{t}/activities/{note}/edit",
        f"{t}/activities/{note}/delete", f"{t}/api/v1/activities/{note}", f"{t}/api/v1/timeline/contact/{contact}",
        f"{t}/contacts/{contact}/merge", f"{t}/companies/{company}/merge",
    ):  # fmt: skip
        assert (await client.get(url)).status_code == 404, url
    token = {"_csrf_token": client.headers["x-csrftoken"]}
    assert (
        await client.post(f"{t}/timeline/contact/{contact}", data={"kind": "note", "body": "x", **token})
    ).status_code == 404
    assert (
        await client.post(f"{t}/activities/{note}/delete", data={"version": "1", **token})
    ).status_code == 404
    assert (
        await client.patch(f"{t}/api/v1/activities/{note}", json={"body": "x"}, headers={"If-Match": "*"})
    ).status_code == 404
    assert (
        await client.delete(f"{t}/api/v1/activities/{note}", headers={"If-Match": "*"})
    ).status_code == 404
    assert (
        await client.post(
            f"{t}/api/v1/activities/",
            json={"kind": "note", "body": "x", "links": [{"record_type": "contact", "record_id": contact}]},
        )
    ).status_code == 422
    assert (await client.get(f"{t}/api/v1/activities/")).json()["items"] == []
    assert "b secret note" not in (await client.get(f"{t}/search", params={"q": "secret"})).text
