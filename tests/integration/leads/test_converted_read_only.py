"""A converted lead is read-only: the services refuse new activities, tasks and files on it, and its page offers
no quick forms, no "Add a task" and no upload (an open lead still offers them)."""

from __future__ import annotations

import pytest

from sampark.platform.tenancy.context import tenant_connection
from sampark.tenants.activities.schemas import ActivityError
from sampark.tenants.activities.services import create_activity
from sampark.tenants.files.schemas import FileRecordReadOnly
from sampark.tenants.files.services import upload_file
from sampark.tenants.leads.conversion import ConversionPlan, convert_lead
from sampark.tenants.leads.services import create_lead
from sampark.tenants.tasks.schemas import TaskError
from sampark.tenants.tasks.services import create_task
from tests.integration.files.conftest import storage  # noqa: F401  (fixture)
from tests.support.web import acting_in, api_session, csrf_token, make_member

REFUSAL = "This lead was converted and is read-only"


async def _content():
    yield b"%PDF-1.4 offer"


async def _leads(tenant, admin) -> tuple[int, int]:
    """An open lead and a converted one."""
    async with acting_in(tenant, admin):
        open_lead = await create_lead({"first_name": "Open", "last_name": "Lead"})
        done = await create_lead({"first_name": "Done", "last_name": "Lead"})
        await convert_lead(done.id, ConversionPlan(), expected_version=done.version)
    return open_lead.id, done.id


async def test_services_refuse_new_links_to_a_converted_lead(tenant, storage) -> None:  # noqa: F811
    admin = await make_member(tenant)
    open_id, done_id = await _leads(tenant, admin)
    async with acting_in(tenant, admin):
        with pytest.raises(ActivityError) as activity:
            await create_activity("note", {"body": "Too late"}, links=[f"lead:{done_id}"])
        assert activity.value.errors["links"].startswith(REFUSAL)
        with pytest.raises(TaskError) as task:
            await create_task({"title": "Too late", "record_type": "lead", "record_id": str(done_id)})
        assert task.value.errors["record_id"].startswith(REFUSAL)
        with pytest.raises(FileRecordReadOnly) as upload:
            await upload_file("lead", done_id, "late.pdf", _content())
        assert upload.value.errors["file"].startswith(REFUSAL)
        # The open lead takes all three.
        await create_activity("note", {"body": "In time"}, links=[f"lead:{open_id}"])
        await create_task({"title": "In time", "record_type": "lead", "record_id": str(open_id)})
        await upload_file("lead", open_id, "offer.pdf", _content())
    async with acting_in(tenant, admin):
        linked = await tenant_connection().fetchval(
            "SELECT (SELECT count(*) FROM activity_links WHERE record_type = 'lead' AND record_id = $1)"
            " + (SELECT count(*) FROM tasks WHERE record_type = 'lead' AND record_id = $1)"
            " + (SELECT count(*) FROM files WHERE record_type = 'lead' AND record_id = $1) AS linked",
            done_id,
        )
    assert linked == 0


async def test_the_converted_lead_page_offers_no_forms_and_refuses_posts(client, tenant, storage) -> None:  # noqa: F811
    admin = await make_member(tenant)
    open_id, done_id = await _leads(tenant, admin)
    await api_session(client, tenant, admin)
    base = f"/t/{tenant.slug}"
    htmx = {"HX-Request": "true"}
    sections = {
        "timeline/lead/{id}": 'class="quick-forms"',
        "tasks/section?record_type=lead&record_id={id}": "/tasks/new?record_type=lead",
        "files/?record_type=lead&record_id={id}": 'class="form files-upload"',
    }
    for path, form_marker in sections.items():
        open_page = await client.get(f"{base}/{path.format(id=open_id)}", headers=htmx)
        done_page = await client.get(f"{base}/{path.format(id=done_id)}", headers=htmx)
        assert open_page.status_code == done_page.status_code == 200, path
        assert form_marker in open_page.text, path
        assert form_marker not in done_page.text, path
    timeline = await client.get(f"{base}/timeline/lead/{done_id}")
    assert 'id="timeline-read-only"' in timeline.text and REFUSAL in timeline.text

    posted = await client.post(
        f"{base}/timeline/lead/{done_id}",
        data={"kind": "note", "body": "Too late", "_csrf_token": csrf_token(timeline)},
    )
    assert posted.status_code == 400 and REFUSAL in posted.text and 'role="alert"' in posted.text
    api = await client.post(
        f"{base}/api/v1/activities/",
        json={"kind": "note", "body": "Too late", "links": [{"record_type": "lead", "record_id": done_id}]},
    )
    assert api.status_code == 422 and api.json()["error"]["details"]["links"].startswith(REFUSAL)
    upload = await client.post(
        f"{base}/api/v1/files",
        data={"record_type": "lead", "record_id": str(done_id)},
        files={"file": ("late.txt", b"late", "text/plain")},
    )
    assert upload.status_code == 409 and upload.json()["error"]["code"] == "record_read_only"
    task = await client.post(
        f"{base}/api/v1/tasks/", json={"title": "Too late", "record_type": "lead", "record_id": done_id}
    )
    assert task.status_code == 422, task.text


async def test_the_new_task_form_says_at_once_that_a_converted_lead_takes_no_tasks(client, tenant) -> None:
    admin = await make_member(tenant)
    open_id, done_id = await _leads(tenant, admin)
    await api_session(client, tenant, admin)
    done = await client.get(f"/t/{tenant.slug}/tasks/new?record_type=lead&record_id={done_id}")
    fresh = await client.get(f"/t/{tenant.slug}/tasks/new?record_type=lead&record_id={open_id}")
    assert done.status_code == fresh.status_code == 200
    assert REFUSAL in done.text
    assert REFUSAL not in fresh.text
