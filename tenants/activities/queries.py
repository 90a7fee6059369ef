"""Reading activities: who may see one, lists with filters and cursors, a record's activities, meetings.

Visibility: an activity belongs to the records it is linked to. The principal sees it when its role may view
activities at all (any scope but "none") and it may see at least one of the linked records. So a customer
handed to another owner keeps its whole timeline for the new owner, and an activity linked only to records
the principal cannot see stays invisible (and answers "not found"). The activities scope (own/team/all)
governs editing and deleting, by author.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sampark.platform.db.sql import fetch
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, visible_owner_ids
from sampark.tenants.activities.schemas import ActivityPage, ActivityView, Link
from sampark.tenants.activities.tables import Activity
from sampark.tenants.activities.validation import KINDS
from sampark.tenants.records.links import link_type, registered_types
from sampark.tenants.records.queries import id_filter, visible_flag
from sampark.tenants.search.listing import (
    ListError,
    ListSpec,
    Sort,
    Sql,
    apply_keyset,
    next_cursor,
    parse_request,
    sort_columns,
)

OBJECT = "activities"
MAX_PAGE_SIZE = 100
COLUMNS = (
    "a.id, a.kind, a.subject, a.body, a.occurred_at, a.owner_id, a.duration_minutes, a.outcome, a.direction,"
    " a.starts_at, a.ends_at, a.location, a.email_from, a.email_to, a.version, a.created_at, a.updated_at"
)


def visible_sql(sql: Sql, alias: str = "a") -> str:
    """A SQL boolean: may the principal see activity ``alias``? (see the module docstring).

    Raises:
        PermissionDenied: the role may not view activities at all.
    """
    visible_owner_ids(OBJECT)
    parts = []
    for record_type in registered_types():
        link = link_type(record_type)
        assert link is not None
        flag = visible_flag(sql, link.obj, "r")
        if flag == "false":
            continue
        parts.append(
            f"EXISTS (SELECT 1 FROM activity_links l JOIN {link.table} r ON r.id = l.record_id"
            f" WHERE l.activity_id = {alias}.id AND l.record_type = {sql.bind(record_type)} AND {flag})"
        )
    return f"({' OR '.join(parts)})" if parts else "false"


def linked_to_sql(sql: Sql, record_type: str, record_ids: Sequence[int], alias: str = "a") -> str:
    """A SQL boolean: is activity ``alias`` linked to one of these records?"""
    return (
        f"EXISTS (SELECT 1 FROM activity_links lt WHERE lt.activity_id = {alias}.id"
        f" AND lt.record_type = {sql.bind(record_type)} AND lt.record_id = ANY({sql.bind(list(record_ids))}::bigint[]))"
    )


def _record_filter(sql: Sql, value: str) -> None:
    record_type, _sep, raw_id = value.partition(":")
    if link_type(record_type) is None or not raw_id.isdigit() or len(raw_id) > 18:
        raise ListError("invalid_filter", _("Choose one from the list."), "record")
    sql.where(linked_to_sql(sql, record_type, [int(raw_id)]))


def _kind_filter(sql: Sql, value: str) -> None:
    if value not in KINDS:
        raise ListError("invalid_filter", _("Choose one from the list."), "kind")
    sql.where(f"a.kind = {sql.bind(value)}")


LIST_SPEC = ListSpec(
    filters={"record": _record_filter, "kind": _kind_filter, "owner_id": id_filter("a", "owner_id")},
    sorts={
        "occurred_at": Sort(("a.occurred_at", "a.id"), ("datetime", "int")),
        "created_at": Sort(("a.created_at", "a.id"), ("datetime", "int")),
        "id": Sort(("a.id",), ("int",)),
    },
    default_sort="-occurred_at",
)


def activity_from_row(row: Mapping[str, Any], links: tuple[Link, ...] = ()) -> ActivityView:
    return ActivityView(
        **{name: row[name] for name in ActivityView.__dataclass_fields__ if name != "links"}, links=links
    )


async def visible_links(activity_ids: Sequence[int]) -> dict[int, tuple[Link, ...]]:
    """The linked records of these activities that the principal may see, with their labels and paths."""
    if not activity_ids:
        return {}
    sql = Sql()
    ids = sql.bind(list(activity_ids))
    selects = []
    for record_type in registered_types():
        link = link_type(record_type)
        assert link is not None
        flag = visible_flag(sql, link.obj, "r")
        if flag == "false":
            continue
        selects.append(
            f"SELECT l.activity_id, l.record_type, l.record_id, l.attendee, ({link.label_sql})::text AS label, l.id"
            f" FROM activity_links l JOIN {link.table} r ON r.id = l.record_id"
            f" WHERE l.activity_id = ANY({ids}::bigint[]) AND l.record_type = {sql.bind(record_type)} AND {flag}"
        )
    if not selects:
        return {}
    rows = await fetch(Activity, " UNION ALL ".join(selects) + " ORDER BY 1, 6", *sql.params)
    found: dict[int, list[Link]] = {}
    for row in rows:
        link = link_type(row["record_type"])
        assert link is not None
        found.setdefault(row["activity_id"], []).append(
            Link(
                row["record_type"],
                row["record_id"],
                row["label"] or "",
                link.path.format(id=row["record_id"]),
                row["attendee"],
            )
        )
    return {activity_id: tuple(items) for activity_id, items in found.items()}


async def with_links(rows: Sequence[Mapping[str, Any]]) -> list[ActivityView]:
    links = await visible_links([row["id"] for row in rows])
    return [activity_from_row(row, links.get(row["id"], ())) for row in rows]


async def get_activity(activity_id: int, *, lock: bool = False) -> ActivityView | None:
    """One activity, or None when it does not exist or the principal may not see it (callers answer 404)."""
    if not 0 < activity_id < 2**63:
        return None
    sql = Sql()
    sql.where(f"a.id = {sql.bind(activity_id)}")
    try:
        sql.where(visible_sql(sql))
    except PermissionDenied:
        return None
    query = f"SELECT {COLUMNS} FROM activities a {sql.where_sql()}" + (" FOR UPDATE OF a" if lock else "")
    rows = await fetch(Activity, query, *sql.params)
    return (await with_links(rows))[0] if rows else None


async def list_activities(
    *,
    limit: int = 50,
    cursor: str | None = None,
    sort: str | None = None,
    filters: Mapping[str, str] | None = None,
) -> ActivityPage:
    """A keyset page of the activities the principal may see, newest first by default.

    Filters: ``record`` (``contact:12``), ``kind``, ``owner_id`` (the author).

    Raises:
        ListError: unknown filter or sort field, a bad filter value, or a foreign cursor.
        PermissionDenied: the role may not view activities.
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    request = parse_request(LIST_SPEC, filters or {}, sort, cursor)
    sql = Sql()
    sql.where(visible_sql(sql))
    for name, value in request.filters.items():
        LIST_SPEC.filters[name](sql, value)
    order = apply_keyset(sql, request)
    query = (
        f"SELECT {COLUMNS}{sort_columns(request.sort)} FROM activities a {sql.where_sql()} {order}"
        f" LIMIT {sql.bind(limit + 1)}"
    )
    rows = await fetch(Activity, query, *sql.params)
    return ActivityPage(await with_links(rows[:limit]), next_cursor(rows, limit, request.sort))


def related_records(sql: Sql, record_type: str, record_ids: Sequence[int]) -> list[tuple[str, str]]:
    """(record type, SQL giving ids) pairs whose activities also belong on this record's timeline.

    A company's timeline shows what was logged on its contacts (those the principal may see).
    """
    related = [(record_type, f"SELECT unnest({sql.bind(list(record_ids))}::bigint[])")]
    if record_type == "company":
        flag = visible_flag(sql, "contacts", "c")
        related.append(
            (
                "contact",
                f"SELECT c.id FROM contacts c WHERE c.company_id = ANY({sql.bind(list(record_ids))}::bigint[]) AND {flag}",
            )
        )
    return related


async def activities_for_record(
    record_type: str, record_ids: Sequence[int], *, before: tuple[datetime, int] | None, limit: int
) -> list[ActivityView]:
    """The newest ``limit`` visible activities on these records (and related ones) with (occurred_at, id) < before."""
    sql = Sql()
    try:
        sql.where(visible_sql(sql))
    except PermissionDenied:
        return []
    linked = " OR ".join(
        f"(lr.record_type = {sql.bind(kind)} AND lr.record_id IN ({ids}))"
        for kind, ids in related_records(sql, record_type, record_ids)
    )
    sql.where(f"a.id IN (SELECT lr.activity_id FROM activity_links lr WHERE {linked})")
    if before is not None:
        sql.where(f"(a.occurred_at, a.id) < ({sql.bind(before[0])}, {sql.bind(before[1])})")
    query = (
        f"SELECT {COLUMNS} FROM activities a {sql.where_sql()} ORDER BY a.occurred_at DESC, a.id DESC"
        f" LIMIT {sql.bind(limit)}"
    )
    return await with_links(await fetch(Activity, query, *sql.params))


async def meetings_between(start: datetime, end: datetime, user_id: int | None = None) -> list[ActivityView]:
    """Meetings starting in [start, end) the principal may see, by start; only ``user_id``'s when given.

    For the calendar: a meeting belongs to its author's calendar.
    """
    sql = Sql()
    try:
        sql.where(visible_sql(sql))
    except PermissionDenied:
        return []
    sql.where(f"a.kind = 'meeting' AND a.starts_at >= {sql.bind(start)} AND a.starts_at < {sql.bind(end)}")
    if user_id is not None:
        sql.where(f"a.owner_id = {sql.bind(user_id)}")
    query = f"SELECT {COLUMNS} FROM activities a {sql.where_sql()} ORDER BY a.starts_at, a.id LIMIT 1000"
    return await with_links(await fetch(Activity, query, *sql.params))
