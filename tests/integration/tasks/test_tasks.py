"""Tasks end to end over HTTP and services: pages, API, permissions, isolation, audit, calendar and ICS."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from sampark.platform.db.engine import get_engine
from sampark.platform.i18n import Preferences, use_preferences
from sampark.platform.i18n.preferences import set_user_time_zone
from sampark.tenants.activities.services import create_activity
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.tasks.services import create_task, get_task
from tests.support.web import acting_in, add_contact, api_session, make_member, post_form, sign_in


async def _queued(tenant_id: int) -> list:
    async with get_engine().transaction() as transaction:
        return list(await transaction.connection.fetch(
            "SELECT task_id, remind_at FROM public.reminder_queue WHERE tenant_id = $1", tenant_id))  # fmt: skip


async def test_page_create_complete_reopen_delete_and_audit(client, tenant) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    contact_id = await add_contact(tenant, member, "Asha")
    new = f"/t/{tenant.slug}/tasks/new?record_type=contact&record_id={contact_id}"
    bad = await post_form(
        client,
        new,
        f"/t/{tenant.slug}/tasks/new",
        {"title": "", "due_time": "25:99", "due_date": "2030-01-01"},
    )
    assert bad.status_code == 400 and 'id="title-error"' in bad.text and 'id="due_time-error"' in bad.text
    created = await post_form(client, new, f"/t/{tenant.slug}/tasks/new", {
        "title": "<script>alert(1)</script> Call back", "due_date": "2030-01-02", "due_time": "10:00",
        "priority": "high", "reminder": "15m", "record_type": "contact", "record_id": str(contact_id),
    })  # fmt: skip
    assert created.status_code == 303, created.text
    url = created.headers["location"]
    task_id = int(url.rsplit("/", 1)[1])
    detail = await client.get(url)
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; Call back" in detail.text
        and "<script>alert" not in detail.text
    )
    assert "Asha" in detail.text
    [(queued_id, queued_at)] = await _queued(tenant.id)
    async with acting_in(tenant, member):
        due_at = (await get_task(task_id)).due_at
    assert queued_id == task_id and queued_at == due_at - timedelta(minutes=15)
    listing = await client.get(f"/t/{tenant.slug}/tasks/")
    assert "Call back" in listing.text
    section = await client.get(f"/t/{tenant.slug}/tasks/section?record_type=contact&record_id={contact_id}")
    assert "Call back" in section.text
    page = await client.get(url)
    from tests.support.web import csrf_token

    token = csrf_token(page)
    done = await client.post(
        f"{url}/complete", data={"_csrf_token": token}, headers={"HX-Request": "true", "x-csrftoken": token}
    )
    assert done.status_code == 200 and "Reopen" in done.text
    assert await _queued(tenant.id) == []  # a done task has no pending reminder
    reopened = await client.post(
        f"{url}/reopen", data={"_csrf_token": token, "next": "https://evil.example/"}
    )
    assert reopened.status_code == 303 and reopened.headers["location"] == f"/t/{tenant.slug}/tasks/"
    assert len(await _queued(tenant.id)) == 1
    stale = await post_form(client, f"{url}/delete", f"{url}/delete", {"version": "1"})
    assert stale.status_code == 409
    async with acting_in(tenant, member):
        version = (await get_task(task_id)).version
    deleted = await post_form(client, f"{url}/delete", f"{url}/delete", {"version": str(version)})
    assert deleted.status_code == 303
    assert (await client.get(url)).status_code == 404
    assert await _queued(tenant.id) == []
    async with acting_in(tenant, member):
        actions = [row["action"] for row in await AuditEntry.select(AuditEntry.action).where(
            (AuditEntry.object_type == "task") & (AuditEntry.object_id == task_id)).order_by(AuditEntry.id)]  # fmt: skip
    assert actions == ["create", "update", "update", "delete"]


async def test_sales_user_sees_own_and_assigned_tasks_only(client, tenant) -> None:
    admin, sales, other = (
        await make_member(tenant),
        await make_member(tenant, "sales"),
        await make_member(tenant, "sales"),
    )
    async with acting_in(tenant, admin):
        assigned = await create_task({"title": "For sales", "assignee_id": sales.id})
        hidden = await create_task({"title": "Admin only"})
    async with acting_in(tenant, other):
        foreign = await create_task({"title": "Other's"})
    await api_session(client, tenant, sales)
    base = f"/t/{tenant.slug}/api/v1/tasks"
    listed = (await client.get(base, params={"view": "all"})).json()
    assert [item["title"] for item in listed["items"]] == ["For sales"]
    assert (await client.get(f"{base}/{hidden.id}")).status_code == 404
    assert (await client.get(f"{base}/{foreign.id}")).status_code == 404
    # The assignee may complete it, but not edit or delete a task the admin owns.
    assert (await client.post(f"{base}/{assigned.id}/complete")).json()["status"] == "done"
    assert (
        await client.patch(f"{base}/{assigned.id}", json={"title": "x"}, headers={"If-Match": "*"})
    ).status_code == 403
    # Assigning to someone outside the sales user's scope is refused.
    refused = await client.post(base, json={"title": "Hand off", "assignee_id": admin.id})
    assert refused.status_code == 422 and "assignee_id" in refused.json()["error"]["details"]


async def test_api_crud_versions_and_bad_input(client, tenant) -> None:
    member = await make_member(tenant)
    await api_session(client, tenant, member)
    base = f"/t/{tenant.slug}/api/v1/tasks"
    created = await client.post(
        base, json={"title": "Send quote", "due_at": "2031-05-01T12:00:00+02:00", "reminder": "1h"}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["due_at"].startswith("2031-05-01T10:00:00") and body["remind_at"].startswith(
        "2031-05-01T09:00:00"
    )
    url = created.headers["location"]
    assert (await client.patch(url, json={"title": "Send the quote"})).status_code == 428
    assert (await client.patch(url, json={"title": "x"}, headers={"If-Match": '"v9"'})).status_code == 412
    patched = await client.patch(
        url, json={"priority": "urgent"}, headers={"If-Match": created.headers["etag"]}
    )
    assert patched.status_code == 200 and patched.json()["priority"] == "urgent"
    assert (await client.post(base, json={"title": "x", "reminder": "15m"})).json()["error"][
        "code"
    ] == "validation_failed"
    assert (await client.post(base, json={"title": 5})).status_code == 400
    assert (await client.get(base, params={"colour": "red"})).json()["error"]["code"] == "unknown_filter"
    assert (await client.get(base, params={"when": "someday"})).json()["error"]["code"] == "invalid_filter"
    assert (await client.get(base, params={"sort": "title"})).json()["error"]["code"] == "unknown_sort"
    assert (
        await client.post(base, json={"title": "x", "record_type": "contact", "record_id": 999999})
    ).status_code == 422
    assert (await client.delete(url, headers={"If-Match": patched.headers["etag"]})).status_code == 204


async def test_tenant_b_ids_answer_404(client, tenant, make_tenant) -> None:
    other = await make_tenant()
    owner_b = await make_member(other)
    async with acting_in(other, owner_b):
        task_b = await create_task({"title": "B's task"})
    member = await make_member(tenant)
    await api_session(client, tenant, member)
    base = f"/t/{tenant.slug}"
    for path in (
        f"/tasks/{task_b.id}",
        f"/tasks/{task_b.id}/edit",
        f"/tasks/{task_b.id}/delete",
        f"/api/v1/tasks/{task_b.id}",
    ):
        assert (await client.get(base + path)).status_code == 404, path
    assert (await client.post(f"{base}/api/v1/tasks/{task_b.id}/complete")).status_code == 404
    assert (
        await client.patch(f"{base}/api/v1/tasks/{task_b.id}", json={"title": "x"}, headers={"If-Match": "*"})
    ).status_code == 404


async def test_calendar_places_tasks_on_the_viewers_day(client, tenant) -> None:
    kolkata, los_angeles = await make_member(tenant), await make_member(tenant)
    await set_user_time_zone(kolkata.id, "Asia/Kolkata")
    await set_user_time_zone(los_angeles.id, "America/Los_Angeles")
    # 2030-03-15 20:00 UTC: the 16th at 01:30 in Kolkata, the 15th at 13:00 in Los Angeles.
    for member in (kolkata, los_angeles):
        async with acting_in(tenant, member):
            with use_preferences(Preferences(time_zone="UTC")):
                await create_task({"title": f"Late call {member.id}", "due_at": "2030-03-15T20:00:00+00:00"})
    for member, day in ((kolkata, "2030-03-16"), (los_angeles, "2030-03-15")):
        client.cookies.clear()
        await sign_in(client, member)
        page = await client.get(f"/t/{tenant.slug}/calendar/?view=week&date=2030-03-15")
        assert page.status_code == 200
        cell = page.text.split(f'data-date="{day}"', 1)[1].split('role="cell"', 1)[0]
        assert f"Late call {member.id}" in cell, (member, day)
        month = await client.get(f"/t/{tenant.slug}/calendar/?date=2030-03-01")
        assert f"Late call {member.id}" in month.text


async def test_ics_feed_lists_open_tasks_and_revoked_token_is_404(client, tenant) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    soon = datetime.now(UTC) + timedelta(days=2)
    async with acting_in(tenant, member):
        task = await create_task(
            {"title": "Demo; with, commas\\and a long title " + "x" * 80, "due_at": soon.isoformat()}
        )
        await create_task({"title": "All-day thing", "all_day": True, "due_date": soon.date().isoformat()})
    feed_page = f"/t/{tenant.slug}/calendar/feed"
    shown = await post_form(client, feed_page, feed_page, {})
    url = shown.text.split('id="feed-url" class="feed-url" readonly value="', 1)[1].split('"', 1)[0]
    path = url.split("://", 1)[1].split("/", 1)[1]
    client.cookies.clear()
    response = await client.get("/" + path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert events[task.title]["uid"] == f"task-{task.id}.t{tenant.id}@sampark"
    assert events[task.title].decoded("dtstart") == task.due_at.replace(microsecond=0)
    assert "DTSTAMP" in events[task.title]
    assert events["All-day thing"].decoded("dtstart") == soon.date()
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    await sign_in(client, member)
    await post_form(client, feed_page, f"{feed_page}/revoke", {})
    assert (await client.get("/" + path)).status_code == 404
    assert (await client.get("/ics/not-a-token.ics")).status_code == 404
    assert (await client.get(f"/ics/{tenant.id + 100000}-{'a' * 43}.ics")).status_code == 404


async def test_deleting_a_contact_unlinks_its_tasks(tenant) -> None:
    member = await make_member(tenant)
    contact_id = await add_contact(tenant, member, "Ravi")
    async with acting_in(tenant, member):
        task = await create_task({"title": "Follow up", "record_type": "contact", "record_id": contact_id})
        from sampark.tenants.contacts.services import delete_contact

        await delete_contact(contact_id, expected_version=None)
        after = await get_task(task.id)
        assert after is not None and after.record_type == "" and after.record_id is None
        assert after.version == task.version + 1


async def test_meetings_show_on_the_calendar_and_in_the_feed(client, tenant) -> None:
    member = await make_member(tenant)
    ann = await add_contact(tenant, member, "Ann")
    start = (datetime.now(UTC) + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    async with acting_in(tenant, member):
        meeting = await create_activity(
            "meeting",
            {"subject": "Quarterly <review>", "starts_at": start.isoformat(),
             "ends_at": (start + timedelta(hours=1)).isoformat(), "location": "Room 4"},
            links=[f"contact:{ann}"],
        )  # fmt: skip
    await sign_in(client, member)
    page = await client.get(f"/t/{tenant.slug}/calendar/?view=week&date={start.date().isoformat()}")
    assert "Quarterly &lt;review&gt;" in page.text and f"/contacts/{ann}#timeline" in page.text
    feed_page = f"/t/{tenant.slug}/calendar/feed"
    shown = await post_form(client, feed_page, feed_page, {})
    url = shown.text.split('id="feed-url" class="feed-url" readonly value="', 1)[1].split('"', 1)[0]
    client.cookies.clear()
    feed = Calendar.from_ical((await client.get("/" + url.split("://", 1)[1].split("/", 1)[1])).content)
    event = next(e for e in feed.walk("VEVENT") if str(e["uid"]).startswith(f"meeting-{meeting.id}."))
    assert str(event["summary"]) == "Quarterly <review>" and event.decoded("dtstart") == start
    assert event.decoded("dtend") == start + timedelta(hours=1) and "Room 4" in str(event["description"])
