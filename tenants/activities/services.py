"""Activity rules: create, change and delete notes, calls, meetings and logged e-mails, and follow the records
they link to. Every write is permission-checked (``activities``, by author), versioned and audited in the
caller's transaction; every link is validated with ``resolve_link`` (the record exists and the principal may see
it). Reads live in ``queries``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sampark.platform.db.sql import fetch, fetchrow
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.activities import calendar as _calendar  # noqa: F401  (registers the meetings calendar source)
from sampark.tenants.activities.queries import OBJECT, get_activity
from sampark.tenants.activities.schemas import ActivityError, ActivityNotFound, ActivityView, VersionConflict
from sampark.tenants.activities.tables import Activity
from sampark.tenants.activities.validation import KIND_FIELDS, clean_activity, parse_links
from sampark.tenants.audit.services import record_change
from sampark.tenants.records.links import (
    register_convert_hook,
    register_link_hooks,
    resolve_link,
    resolve_writable_link,
)
from sampark.tenants.search.listing import Sql

__all__ = ["AUDIT_TYPE", "create_activity", "delete_activity", "snapshot", "update_activity"]

AUDIT_TYPE = "activity"


def _links_text(pairs: Sequence[tuple[str, int, bool]]) -> str:
    return ", ".join(
        f"{kind}:{record_id}" + (" (attendee)" if attendee else "") for kind, record_id, attendee in pairs
    )


def snapshot(view: ActivityView) -> dict[str, Any]:
    """The audited form of an activity: plain values, times as ISO text, links as ``type:id``."""
    values: dict[str, Any] = {"kind": view.kind, "subject": view.subject, "body": view.body}
    values["occurred_at"] = view.occurred_at.isoformat()
    for name in KIND_FIELDS[view.kind]:
        value = getattr(view, name)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    values["links"] = _links_text([(link.record_type, link.record_id, link.attendee) for link in view.links])
    return values


async def _resolve(
    links: Any, attendees: Any, kind: str, errors: dict[str, str], *, required: bool
) -> list[tuple[str, int, bool]] | None:
    """(type, id, attendee) for every link, each checked; None when ``links`` and ``attendees`` were not sent."""
    if links is None and attendees is None:
        return None
    pairs = parse_links(links or [], errors)
    contacts = parse_links([f"contact:{item}" if isinstance(item, int | str) else item for item in attendees or []],
                           errors, field="attendees", limit=50)  # fmt: skip
    if kind != "meeting":
        contacts = []
    if required and not pairs and not contacts and "links" not in errors:
        errors["links"] = _("Choose the records this is about.")
    for record_type, record_id in pairs:
        record, refused = await resolve_writable_link(record_type, record_id)
        if record is None:
            errors["links"] = _("One of the linked records cannot be found.")
        elif refused:
            errors["links"] = refused
    for record_type, record_id in contacts:
        if record_type != "contact" or await resolve_link(record_type, record_id) is None:
            errors["attendees"] = _("Choose attendees from your contacts.")
    attending = set(contacts)
    result = [(kind_, id_, (kind_, id_) in attending) for kind_, id_ in pairs]
    result += [(kind_, id_, True) for kind_, id_ in contacts if (kind_, id_) not in pairs]
    return result


async def _insert_links(activity_id: int, links: Sequence[tuple[str, int, bool]]) -> None:
    if links:
        await fetch(
            Activity,
            "INSERT INTO activity_links (activity_id, record_type, record_id, attendee)"
            " SELECT $1, t, i, at FROM unnest($2::text[], $3::bigint[], $4::boolean[]) AS u(t, i, at)"
            " ON CONFLICT (activity_id, record_type, record_id) DO UPDATE SET attendee = EXCLUDED.attendee",
            activity_id, [item[0] for item in links], [item[1] for item in links], [item[2] for item in links],
        )  # fmt: skip


async def create_activity(
    kind: str, data: Mapping[str, Any], *, links: Any, attendees: Any = None
) -> ActivityView:
    """Log an activity of ``kind`` by the acting user, linked to ``links`` (``[{"record_type", "record_id"}]``
    or ``["contact:12"]``); a meeting's ``attendees`` are contact ids.

    Raises:
        PermissionDenied: the principal may not create activities.
        ActivityError: with a message per invalid field.
    """
    principal = require(OBJECT, "create", record=False)
    clean, errors = clean_activity(kind, data)
    resolved = await _resolve(links or [], attendees, kind, errors, required=True) or []
    if errors:
        raise ActivityError(errors)
    sql = Sql()
    values = {"kind": kind, "owner_id": principal.user_id, **clean}
    placeholders = ", ".join(sql.bind(value) for value in values.values())
    row = await fetchrow(
        Activity,
        f"INSERT INTO activities ({', '.join(values)}) VALUES ({placeholders}) RETURNING id",
        *sql.params,
    )
    await _insert_links(row["id"], resolved)
    activity = await get_activity(row["id"])
    assert activity is not None  # just linked to records the principal can see
    after = {name: value for name, value in snapshot(activity).items() if value not in ("", None)}
    await record_change("create", AUDIT_TYPE, activity.id, actor_user_id=principal.user_id, after=after)
    return activity


async def _locked(activity_id: int) -> ActivityView:
    current = await get_activity(activity_id, lock=True)
    if current is None:
        raise ActivityNotFound(activity_id)
    return current


async def update_activity(
    activity_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    links: Any = None,
    attendees: Any = None,
) -> ActivityView:
    """Change the fields sent (and, when given, the links the principal can see) if still at ``expected_version``.

    Links to records the principal cannot see are kept: an edit cannot remove what it could not show.

    Raises:
        ActivityNotFound, PermissionDenied (may see, not edit), VersionConflict, ActivityError.
    """
    current = await _locked(activity_id)
    principal = require(OBJECT, "edit", owner_id=current.owner_id)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    stored = {name: getattr(current, name) for name in ("subject", "body", "starts_at", "ends_at")}
    clean, errors = clean_activity(current.kind, changes, current=stored)
    if attendees is not None and links is None:
        links = [f"{link.record_type}:{link.record_id}" for link in current.records]
    resolved = await _resolve(links, attendees, current.kind, errors, required=True)
    if errors:
        raise ActivityError(errors)
    changed = {name: value for name, value in clean.items() if getattr(current, name) != value}
    old_links = {(link.record_type, link.record_id, link.attendee) for link in current.links}
    links_changed = resolved is not None and set(resolved) != old_links
    if not changed and not links_changed:
        return current
    sql = Sql()
    sets = "".join(f"{name} = {sql.bind(value)}, " for name, value in changed.items())
    await fetch(
        Activity,
        f"UPDATE activities SET {sets}version = version + 1, updated_at = now() WHERE id = {sql.bind(activity_id)}",
        *sql.params,
    )
    if resolved is not None and links_changed:
        keep = {(kind, record_id) for kind, record_id, _attendee in resolved}
        gone = [
            (kind, record_id) for kind, record_id, _attendee in old_links if (kind, record_id) not in keep
        ]
        await fetch(
            Activity,
            "DELETE FROM activity_links WHERE activity_id = $1"
            " AND (record_type, record_id) IN (SELECT * FROM unnest($2::text[], $3::bigint[]))",
            activity_id, [item[0] for item in gone], [item[1] for item in gone],
        )  # fmt: skip
        await _insert_links(activity_id, resolved)
    activity = await get_activity(activity_id)
    assert activity is not None
    await record_change(
        "update", AUDIT_TYPE, activity_id, actor_user_id=principal.user_id,
        before=snapshot(current), after=snapshot(activity),
    )  # fmt: skip
    return activity


async def delete_activity(activity_id: int, *, expected_version: int | None) -> ActivityView:
    """Delete the activity (its links go with it) if still at ``expected_version``; audit what it was.

    Raises:
        ActivityNotFound, PermissionDenied, VersionConflict: as for ``update_activity``.
    """
    current = await _locked(activity_id)
    principal = require(OBJECT, "delete", owner_id=current.owner_id)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    await fetch(Activity, "DELETE FROM activities WHERE id = $1", activity_id)
    await record_change(
        "delete", AUDIT_TYPE, activity_id, actor_user_id=principal.user_id, before=snapshot(current)
    )
    return current


# Every link of the activities linked to one record, before a hook changes them (for the audit entries).
_LINKS_OF = """
SELECT l.activity_id, string_agg(l.record_type || ':' || l.record_id
       || CASE WHEN l.attendee THEN ' (attendee)' ELSE '' END, ', ' ORDER BY l.id) AS links
FROM activity_links l
WHERE l.activity_id IN (SELECT activity_id FROM activity_links WHERE record_type = $1 AND record_id = $2)
GROUP BY l.activity_id ORDER BY l.activity_id
"""


async def _links_by_activity(record_type: str, record_id: int) -> dict[int, str]:
    return {
        row["activity_id"]: row["links"] for row in await fetch(Activity, _LINKS_OF, record_type, record_id)
    }


async def _audit_links(before: dict[int, str], after: dict[int, str]) -> None:
    actor = current_principal().user_id
    for activity_id, old in before.items():
        if activity_id in after and after[activity_id] != old:
            await record_change(
                "update", AUDIT_TYPE, activity_id, actor_user_id=actor,
                before={"links": old}, after={"links": after[activity_id]},
            )  # fmt: skip


async def on_record_deleted(record_type: str, record_id: int) -> None:
    """Unlink a record that is being deleted; an activity left with no link goes too (audited as deleted).

    Runs in the deleting transaction, whoever deletes: the record's own delete rights decide, not activities'.
    """
    before = await _links_by_activity(record_type, record_id)
    if not before:
        return
    await fetch(
        Activity,
        "DELETE FROM activity_links WHERE record_type = $1 AND record_id = $2",
        record_type,
        record_id,
    )
    orphans = await fetch(
        Activity,
        "DELETE FROM activities a WHERE a.id = ANY($1::bigint[])"
        " AND NOT EXISTS (SELECT 1 FROM activity_links l WHERE l.activity_id = a.id)"
        " RETURNING a.id, a.kind, a.subject, a.body, a.occurred_at",
        sorted(before),
    )
    actor = current_principal().user_id
    for row in orphans:
        gone = {
            "kind": row["kind"],
            "subject": row["subject"],
            "body": row["body"],
            "links": before[row["id"]],
        }
        gone["occurred_at"] = row["occurred_at"].isoformat()
        await record_change("delete", AUDIT_TYPE, row["id"], actor_user_id=actor, before=gone)
    deleted = {row["id"] for row in orphans}
    after = await _current_links([activity_id for activity_id in before if activity_id not in deleted])
    await _audit_links({k: v for k, v in before.items() if k not in deleted}, after)


async def _current_links(activity_ids: list[int]) -> dict[int, str]:
    rows = await fetch(
        Activity,
        "SELECT activity_id, string_agg(record_type || ':' || record_id"
        " || CASE WHEN attendee THEN ' (attendee)' ELSE '' END, ', ' ORDER BY id) AS links"
        " FROM activity_links WHERE activity_id = ANY($1::bigint[]) GROUP BY activity_id",
        activity_ids,
    )
    return {row["activity_id"]: row["links"] for row in rows}


async def _move_links(from_type: str, from_id: int, to_type: str, to_id: int) -> None:
    """Re-point every link of one record to another (one link per activity and record), audited."""
    before = await _links_by_activity(from_type, from_id)
    if not before:
        return
    await fetch(
        Activity,
        "UPDATE activity_links l SET record_type = $3, record_id = $4 WHERE l.record_type = $1 AND l.record_id = $2"
        " AND NOT EXISTS (SELECT 1 FROM activity_links o WHERE o.activity_id = l.activity_id"
        " AND o.record_type = $3 AND o.record_id = $4)",
        from_type, from_id, to_type, to_id,
    )  # fmt: skip
    # An activity already linked to both: the survivor's link stays, an attendee mark is kept.
    await fetch(
        Activity,
        "WITH gone AS (DELETE FROM activity_links WHERE record_type = $1 AND record_id = $2"
        " RETURNING activity_id, attendee)"
        " UPDATE activity_links l SET attendee = true FROM gone"
        " WHERE gone.attendee AND l.activity_id = gone.activity_id AND l.record_type = $3 AND l.record_id = $4",
        from_type, from_id, to_type, to_id,
    )  # fmt: skip
    await _audit_links(before, await _current_links(sorted(before)))


async def on_record_merged(record_type: str, from_id: int, into_id: int) -> None:
    """Move every link from the merged-away record to the survivor."""
    await _move_links(record_type, from_id, record_type, into_id)


register_link_hooks("activities", on_delete=on_record_deleted, on_merge=on_record_merged)
# A converted lead's notes, calls and meetings follow it to the contact it became.
register_convert_hook("activities", _move_links)
