"""Activity services: kinds' validation, links validated and permission-scoped, audit, delete and merge hooks."""

from datetime import UTC, datetime, timedelta

import pytest

from sampark.platform.db.sql import fetch
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.activities.queries import get_activity, list_activities, meetings_between
from sampark.tenants.activities.schemas import ActivityError, VersionConflict
from sampark.tenants.activities.services import create_activity, delete_activity, update_activity
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.companies.services import create_company, delete_company
from sampark.tenants.contacts.services import create_contact, delete_contact
from tests.support.web import acting_in, make_member


async def _audit(object_type: str, object_id: int) -> list[tuple[str, dict]]:
    rows = await fetch(
        AuditEntry,
        "SELECT action, changes FROM audit_log WHERE object_type = $1 AND object_id = $2 ORDER BY id",
        object_type, object_id,
    )  # fmt: skip
    import json

    return [(row["action"], json.loads(row["changes"])) for row in rows]


async def test_each_kind_is_validated_and_audited(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        ann = await create_contact({"first_name": "Ann"})
        link = [f"contact:{ann.id}"]
        note = await create_activity("note", {"body": "Line one\nLine two"}, links=link)
        assert note.kind == "note" and note.owner_id == admin.id and note.links[0].label == "Ann"
        call = await create_activity(
            "call", {"subject": "Intro", "duration_minutes": "15", "outcome": "voicemail", "direction": "outbound"},
            links=link,
        )  # fmt: skip
        assert (call.duration_minutes, call.outcome, call.direction) == (15, "voicemail", "outbound")
        start = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
        meeting = await create_activity(
            "meeting", {"subject": "Demo", "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()},
            links=[], attendees=[ann.id],
        )  # fmt: skip
        assert meeting.occurred_at == start and meeting.attendees[0].record_id == ann.id
        mail = await create_activity(
            "email", {"subject": "Offer", "email_to": "ANN@example.com; bob@example.com", "sent_at": "2026-05-02T10:00:00+00:00"},
            links=link,
        )  # fmt: skip
        assert mail.email_to == "ann@example.com, bob@example.com" and mail.occurred_at.day == 2
        with pytest.raises(ActivityError) as bad:
            await create_activity("call", {"duration_minutes": "-3", "outcome": "maybe"}, links=link)
        assert set(bad.value.errors) == {"duration_minutes", "outcome", "subject"}
        with pytest.raises(ActivityError) as bad:
            await create_activity(
                "meeting",
                {"subject": "x", "starts_at": "2026-05-01T10:00", "ends_at": "2026-05-01T09:00"},
                links=link,
            )
        assert set(bad.value.errors) == {"ends_at"}
        with pytest.raises(ActivityError) as bad:
            await create_activity("email", {"subject": "x", "email_to": "not an address"}, links=link)
        assert "email_to" in bad.value.errors
        with pytest.raises(ActivityError) as bad:
            await create_activity("note", {"body": ""}, links=link)
        assert "body" in bad.value.errors
        with pytest.raises(ActivityError) as bad:
            await create_activity("note", {"body": "x"}, links=[])
        assert "links" in bad.value.errors
        with pytest.raises(ActivityError) as bad:
            await create_activity("note", {"body": "x"}, links=["spaceship:1", f"contact:{10**12}"])
        assert "links" in bad.value.errors
        with pytest.raises(ActivityError):
            await create_activity("fax", {"body": "x"}, links=link)
        entries = await _audit("activity", note.id)
        assert entries[0][0] == "create" and entries[0][1]["body"]["after"] == "Line one\nLine two"
        assert entries[0][1]["links"]["after"] == f"contact:{ann.id}"
        found = await meetings_between(start - timedelta(days=1), start + timedelta(days=1), admin.id)
        assert [item.id for item in found] == [meeting.id]
        assert await meetings_between(start + timedelta(days=1), start + timedelta(days=2)) == []


async def test_update_checks_version_and_audits_fields(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        ann = await create_contact({"first_name": "Ann"})
        acme = await create_company({"name": "Acme"})
        note = await create_activity("note", {"body": "first"}, links=[f"contact:{ann.id}"])
        changed = await update_activity(
            note.id,
            {"body": "second"},
            expected_version=note.version,
            links=[f"contact:{ann.id}", f"company:{acme.id}"],
        )
        assert changed.version == 2 and changed.body == "second" and len(changed.links) == 2
        with pytest.raises(VersionConflict):
            await update_activity(note.id, {"body": "third"}, expected_version=1)
        action, changes = (await _audit("activity", note.id))[-1]
        assert action == "update" and changes["body"] == {"before": "first", "after": "second"}
        assert changes["links"]["after"] == f"contact:{ann.id}, company:{acme.id}"
        with pytest.raises(VersionConflict):
            await delete_activity(note.id, expected_version=1)
        await delete_activity(note.id, expected_version=2)
        assert await get_activity(note.id) is None
        assert (await _audit("activity", note.id))[-1][0] == "delete"


async def test_sales_see_activities_only_on_records_they_can_see(tenant) -> None:
    admin = await make_member(tenant)
    seller = await make_member(tenant, role="sales")
    async with acting_in(tenant, admin):
        theirs = await create_contact({"first_name": "Admin's"})
        hidden = await create_activity("note", {"body": "secret"}, links=[f"contact:{theirs.id}"])
    async with acting_in(tenant, seller):
        mine = await create_contact({"first_name": "Mine"})
        own = await create_activity("note", {"body": "mine"}, links=[f"contact:{mine.id}"])
        assert await get_activity(hidden.id) is None
        assert [item.id for item in (await list_activities()).items] == [own.id]
        with pytest.raises(ActivityError):  # cannot link a record it cannot see
            await create_activity("note", {"body": "x"}, links=[f"contact:{theirs.id}"])
    async with acting_in(tenant, admin):
        # The admin links its note to the seller's contact too; the seller now sees it but may not edit it.
        await update_activity(
            hidden.id, {}, expected_version=None, links=[f"contact:{theirs.id}", f"contact:{mine.id}"]
        )
    async with acting_in(tenant, seller):
        seen = await get_activity(hidden.id)
        assert seen is not None and [link.record_id for link in seen.links] == [mine.id]
        with pytest.raises(PermissionDenied):
            await update_activity(hidden.id, {"body": "mine now"}, expected_version=None)


async def test_deleting_a_record_unlinks_and_deletes_orphans(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        ann = await create_contact({"first_name": "Ann"})
        acme = await create_company({"name": "Acme"})
        only = await create_activity("note", {"body": "only Ann"}, links=[f"contact:{ann.id}"])
        both = await create_activity(
            "note", {"body": "both"}, links=[f"contact:{ann.id}", f"company:{acme.id}"]
        )
        await delete_contact(ann.id, expected_version=None)
        assert await get_activity(only.id) is None
        remaining = await get_activity(both.id)
        assert remaining is not None and [link.record_type for link in remaining.links] == ["company"]
        assert (await _audit("activity", only.id))[-1][0] == "delete"
        assert (await _audit("activity", both.id))[-1][1]["links"]["after"] == f"company:{acme.id}"
        await delete_company(acme.id, expected_version=None)
        assert await get_activity(both.id) is None
