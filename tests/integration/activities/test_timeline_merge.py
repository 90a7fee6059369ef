"""The timeline across sources (ordering, pagination), owner hand-over, and merging keeps both timelines."""

from datetime import UTC, datetime, timedelta

import pytest

from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.activities import timeline as _activities  # noqa: F401
from sampark.tenants.activities.queries import get_activity
from sampark.tenants.activities.services import create_activity
from sampark.tenants.companies.services import create_company, get_company
from sampark.tenants.contacts.services import create_contact, get_contact, update_contact
from sampark.tenants.history.services import record_history
from sampark.tenants.merging.services import merge_records
from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict
from sampark.tenants.timeline import history as _history  # noqa: F401  (registers the source)
from sampark.tenants.timeline.registry import InvalidCursor, read_timeline
from tests.support.web import acting_in, make_member


async def _all(record_type: str, record_id: int, limit: int) -> list:
    entries, cursor = [], None
    for _page in range(50):
        page = await read_timeline(record_type, record_id, before=cursor, limit=limit)
        entries += page.entries
        cursor = page.next_cursor
        if cursor is None:
            return entries
    raise AssertionError("the timeline never ended")


async def test_timeline_merges_sources_newest_first_and_pages_without_gaps(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        ann = await create_contact({"first_name": "Ann"})
        base = datetime.now(UTC)
        ids = []
        for index in range(7):  # some in the past, some sharing a timestamp, interleaved with history
            when = base - timedelta(days=index % 3)
            note = await create_activity(
                "note", {"body": f"n{index}", "occurred_at": when}, links=[f"contact:{ann.id}"]
            )
            ids.append(note.id)
            await update_contact(ann.id, {"last_name": f"L{index}"}, expected_version=None)
        full = await _all("contact", ann.id, limit=100)
        for limit in (1, 2, 3, 5):
            paged = await _all("contact", ann.id, limit=limit)
            assert [(e.source, e.seq) for e in paged] == [(e.source, e.seq) for e in full], limit
        assert len(full) == 7 + 7 + 1  # notes, updates, creation
        keys = [(e.occurred_at, e.source, e.seq) for e in full]
        assert keys == sorted(keys, reverse=True)
        assert {e.seq for e in full if e.source == "activities"} == set(ids)
        assert full[-1].title == "Created" or any(e.kind == "history.create" for e in full)
        with pytest.raises(InvalidCursor):
            await read_timeline("contact", ann.id, before="nonsense")


async def test_company_timeline_shows_its_contacts_activities(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        acme = await create_company({"name": "Acme"})
        ann = await create_contact({"first_name": "Ann", "company_id": acme.id})
        note = await create_activity("note", {"body": "on Ann"}, links=[f"contact:{ann.id}"])
        page = await read_timeline("company", acme.id)
        assert note.id in {e.seq for e in page.entries if e.source == "activities"}


async def test_handing_a_customer_over_keeps_the_whole_history(tenant) -> None:
    old, new = await make_member(tenant, role="sales"), await make_member(tenant, role="sales")
    admin = await make_member(tenant)
    async with acting_in(tenant, old):
        ann = await create_contact({"first_name": "Ann"})
        notes = [
            (await create_activity("note", {"body": f"call notes {i}"}, links=[f"contact:{ann.id}"])).id
            for i in range(3)
        ]
    async with acting_in(tenant, admin):
        await update_contact(ann.id, {"owner_id": new.id}, expected_version=None)
    async with acting_in(tenant, new):
        page = await read_timeline("contact", ann.id)
        assert {e.seq for e in page.entries if e.source == "activities"} == set(notes)
        assert any(e.title.startswith("Handed over to") for e in page.entries)
        for note in notes:
            assert await get_activity(note) is not None
    async with acting_in(tenant, old):
        assert await get_contact(ann.id) is None and await get_activity(notes[0]) is None


async def test_merging_contacts_picks_fields_moves_links_and_keeps_both_histories(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        keep = await create_contact(
            {"first_name": "Ann", "last_name": "Lee", "emails": ["ann@a.com"], "tags": ["vip"]}
        )
        gone = await create_contact(
            {
                "first_name": "Anne",
                "last_name": "Leigh",
                "emails": ["ann@b.com", "ann@a.com"],
                "tags": ["golf"],
            },
            allow_duplicate=True,
        )
        await update_contact(gone.id, {"lifecycle_stage": "customer"}, expected_version=None)
        on_gone = await create_activity("note", {"body": "met Anne"}, links=[f"contact:{gone.id}"])
        on_both = await create_activity(
            "note", {"body": "both"}, links=[f"contact:{gone.id}", f"contact:{keep.id}"]
        )
        with pytest.raises(VersionConflict):
            await merge_records("contact", keep.id, gone.id, {}, expected_version=keep.version + 1)
        with pytest.raises(FieldErrors):
            await merge_records("contact", keep.id, gone.id, {"version": "from"}, expected_version=None)
        with pytest.raises(FieldErrors):
            await merge_records("contact", keep.id, keep.id, {}, expected_version=None)
        with pytest.raises(RecordNotFound):
            await merge_records("contact", keep.id, 10**12, {}, expected_version=None)
        merged = await merge_records(
            "contact",
            keep.id,
            gone.id,
            {"last_name": "from", "lifecycle_stage": "from", "first_name": "into"},
            expected_version=keep.version,
        )
        assert (merged.first_name, merged.last_name, merged.lifecycle_stage) == ("Ann", "Leigh", "customer")
        assert merged.emails == ("ann@a.com", "ann@b.com") and merged.tags == ("vip", "golf")
        assert await get_contact(gone.id) is None
        moved = await get_activity(on_gone.id)
        assert moved is not None and [link.record_id for link in moved.links] == [keep.id]
        both = await get_activity(on_both.id)
        assert both is not None and [link.record_id for link in both.links] == [keep.id]
        timeline = await _all("contact", keep.id, limit=100)
        assert {on_gone.id, on_both.id} <= {e.seq for e in timeline if e.source == "activities"}
        history = [
            (e.data.action, [c.field for c in e.data.changes]) for e in timeline if e.source == "history"
        ]
        assert ("merge", ["merged_from", "merged_name"]) in history
        assert ("update", ["lifecycle_stage"]) in history  # the merged-away contact's own change
        assert [action for action, _f in history].count("create") == 2  # both creations
        assert "delete" not in [action for action, _f in history]
        assert len((await record_history("contact", keep.id)).entries) == len(history)


async def test_merging_needs_edit_on_survivor_and_delete_on_other(tenant) -> None:
    admin = await make_member(tenant)
    reader = await make_member(tenant, role="read-only")
    seller = await make_member(tenant, role="sales")
    async with acting_in(tenant, admin):
        a = await create_contact({"first_name": "A"})
        b = await create_contact({"first_name": "B"})
    async with acting_in(tenant, reader):
        with pytest.raises(PermissionDenied):
            await merge_records("contact", a.id, b.id, {}, expected_version=None)
    async with acting_in(tenant, seller):
        mine = await create_contact({"first_name": "Mine"})
        with pytest.raises(RecordNotFound):  # the admin's contact is not visible to the seller
            await merge_records("contact", mine.id, a.id, {}, expected_version=None)
    async with acting_in(tenant, admin):
        assert await get_contact(a.id) is not None and await get_contact(b.id) is not None


async def test_merging_companies_moves_contacts_and_subsidiaries(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        keep = await create_company({"name": "Acme", "domain": "acme.com"})
        gone = await create_company({"name": "ACME Inc", "industry": "Tools"}, allow_duplicate=True)
        child = await create_company({"name": "Acme Labs", "parent_id": gone.id})
        ann = await create_contact({"first_name": "Ann", "company_id": gone.id})
        note = await create_activity("note", {"body": "x"}, links=[f"company:{gone.id}"])
        merged = await merge_records("company", keep.id, gone.id, {"industry": "from"}, expected_version=None)
        assert merged.industry == "Tools" and merged.name == "Acme"
        assert (await get_contact(ann.id)).company_id == keep.id
        assert (await get_company(child.id)).parent_id == keep.id
        assert [link.record_id for link in (await get_activity(note.id)).links] == [keep.id]
        assert await get_company(gone.id) is None
