"""Task reads: who sees which task, one task, keyset lists with allowlisted filters, the linked records' names.

A principal sees the tasks whose owner is within their ``tasks: view`` scope, plus every task assigned to
them, whoever owns it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from sampark.platform.db.sql import fetch, fetchrow
from sampark.platform.i18n import current_preferences
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.formatting import in_time_zone
from sampark.tenants.access.policy import PermissionDenied, current_principal, visible_owner_ids
from sampark.tenants.records.links import link_type
from sampark.tenants.records.queries import id_filter, visible_flag
from sampark.tenants.search.listing import (
    Filter,
    ListError,
    ListSpec,
    Sort,
    Sql,
    apply_keyset,
    next_cursor,
    parse_request,
    sort_columns,
)
from sampark.tenants.tasks.fields import PRIORITIES, local_to_utc
from sampark.tenants.tasks.schemas import COLUMNS, TaskPage, TaskView, task_from_row
from sampark.tenants.tasks.tables import Task

OBJECT = "tasks"
MAX_PAGE_SIZE = 100
# Tasks without a due time sort after every dated one (a sentinel, not NULL, keeps keyset cursors simple).
DUE_KEY = "coalesce(t.due_at, timestamptz '9999-12-31 00:00+00')"
PRIORITY_RANK = "(CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)"


def scope(sql: Sql, alias: str = "t") -> None:
    """Limit ``sql`` to the tasks the principal may see: owner in scope, or assigned to them."""
    try:
        owners = visible_owner_ids(OBJECT)
    except PermissionDenied:
        owners = frozenset()
    if owners is None:
        return
    me = current_principal().user_id
    conditions = [f"{alias}.owner_id = ANY({sql.bind(sorted(owners))}::bigint[])"] if owners else []
    if me is not None:
        conditions.append(f"{alias}.assignee_id = {sql.bind(me)}")
    sql.where("(" + " OR ".join(conditions) + ")" if conditions else "false")


def mine_condition(sql: Sql, user_id: int, alias: str = "t") -> str:
    """Tasks that are ``user_id``'s to do: assigned to them, or theirs and assigned to nobody."""
    me = sql.bind(user_id)
    return f"({alias}.assignee_id = {me} OR ({alias}.assignee_id IS NULL AND {alias}.owner_id = {me}))"


def today_bounds(time_zone: str | None = None) -> tuple[datetime, datetime]:
    """Today, on the reader's wall clock, as a UTC range."""
    name = time_zone or current_preferences().time_zone
    today = in_time_zone(datetime.now().astimezone(), name).date()
    return day_start(today, name), day_start(today + timedelta(days=1), name)


def day_start(day: date, time_zone: str) -> datetime:
    start = local_to_utc(day, time(0, 0), time_zone)
    # Midnight can be skipped by a clock change (some zones switch at 00:00): the day starts an hour later.
    return start or local_to_utc(day, time(1, 0), time_zone) or datetime.combine(day, time(0)).astimezone()


def _view_filter(sql: Sql, value: str) -> None:
    me = current_principal().user_id
    if value == "all":
        return
    if me is None or value not in ("mine", "assigned_by_me"):
        raise ListError("invalid_filter", _("Choose one from the list."), "view")
    if value == "mine":
        sql.where(mine_condition(sql, me))
    else:
        bound = sql.bind(me)
        sql.where(f"t.owner_id = {bound} AND t.assignee_id IS NOT NULL AND t.assignee_id <> {bound}")


def _when_filter(sql: Sql, value: str) -> None:
    if value == "done":
        sql.where("t.status = 'done'")
        return
    if value not in ("open", "overdue", "today", "upcoming"):
        raise ListError("invalid_filter", _("Choose one from the list."), "when")
    sql.where("t.status = 'open'")
    name = current_preferences().time_zone
    start, end = today_bounds(name)
    day = in_time_zone(start, name).date()
    # All-day tasks count by their date; timed ones by their moment.
    if value == "overdue":
        now = sql.bind(datetime.now().astimezone())
        sql.where(f"((NOT t.all_day AND t.due_at < {now}) OR (t.all_day AND t.due_date < {sql.bind(day)}))")
    elif value == "today":
        sql.where(
            f"((NOT t.all_day AND t.due_at >= {sql.bind(start)} AND t.due_at < {sql.bind(end)})"
            f" OR (t.all_day AND t.due_date = {sql.bind(day)}))"
        )
    elif value == "upcoming":
        sql.where(
            f"((NOT t.all_day AND t.due_at >= {sql.bind(end)}) OR (t.all_day AND t.due_date > {sql.bind(day)}))"
        )


def _choice_filter(column: str, allowed: Iterable[str]) -> Filter:
    choices = frozenset(allowed)

    def apply(sql: Sql, value: str) -> None:
        if value not in choices:
            raise ListError("invalid_filter", _("Choose one from the list."), column)
        sql.where(f"t.{column} = {sql.bind(value)}")

    return apply


def _record_type_filter(sql: Sql, value: str) -> None:
    if link_type(value) is None:
        raise ListError("invalid_filter", _("Choose one from the list."), "record_type")
    sql.where(f"t.record_type = {sql.bind(value)}")


LIST_SPEC = ListSpec(
    filters={
        "view": _view_filter,
        "when": _when_filter,
        "priority": _choice_filter("priority", PRIORITIES),
        "status": _choice_filter("status", ("open", "done")),
        "assignee_id": id_filter("t", "assignee_id"),
        "owner_id": id_filter("t", "owner_id"),
        "record_type": _record_type_filter,
        "record_id": id_filter("t", "record_id"),
    },
    sorts={
        "due": Sort((DUE_KEY, "t.id"), ("datetime", "int")),
        "priority": Sort((PRIORITY_RANK, DUE_KEY, "t.id"), ("int", "datetime", "int")),
        "created_at": Sort(("t.created_at", "t.id"), ("datetime", "int")),
        "updated_at": Sort(("t.updated_at", "t.id"), ("datetime", "int")),
        "id": Sort(("t.id",), ("int",)),
    },
    default_sort="due",
)


async def record_labels(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, str]]:
    """Names and page paths of linked records the principal may see, one query per record type."""
    by_type: dict[str, list[int]] = {}
    for record_type, record_id in set(pairs):
        by_type.setdefault(record_type, []).append(record_id)
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for record_type, ids in by_type.items():
        link = link_type(record_type)
        if link is None:
            continue
        sql = Sql()
        visible = visible_flag(sql, link.obj, "r")
        query = (
            f"SELECT r.id, {link.label_sql} AS label FROM {link.table} r"
            f" WHERE r.id = ANY({sql.bind(sorted(ids))}::bigint[]) AND {visible}"
        )
        for row in await fetch(Task, query, *sql.params):
            found[(record_type, row["id"])] = (row["label"], link.path.format(id=row["id"]))
    return found


async def _with_labels(rows: list[Any]) -> list[TaskView]:
    pairs = [(r["record_type"], r["record_id"]) for r in rows if r["record_type"] and r["record_id"]]
    labels = await record_labels(pairs) if pairs else {}
    return [task_from_row(row, labels.get((row["record_type"], row["record_id"]))) for row in rows]


async def get_task(task_id: int, *, lock: bool = False) -> TaskView | None:
    """One task, or None when it does not exist or the principal may not see it (callers answer 404)."""
    if not 0 < task_id < 2**63:
        return None
    sql = Sql()
    sql.where(f"t.id = {sql.bind(task_id)}")
    scope(sql)
    query = f"SELECT {COLUMNS} FROM tasks t {sql.where_sql()}" + (" FOR UPDATE OF t" if lock else "")
    row = await fetchrow(Task, query, *sql.params)
    return (await _with_labels([row]))[0] if row else None


async def list_tasks(
    *,
    limit: int = 25,
    cursor: str | None = None,
    sort: str | None = None,
    filters: Mapping[str, str] | None = None,
) -> TaskPage:
    """A keyset page of the tasks the principal may see, filtered and sorted by ``LIST_SPEC``.

    Raises:
        ListError: unknown filter or sort field, a bad filter value, or a foreign cursor.
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    request = parse_request(LIST_SPEC, filters or {}, sort, cursor)
    sql = Sql()
    scope(sql)
    for name, value in request.filters.items():
        LIST_SPEC.filters[name](sql, value)
    order = apply_keyset(sql, request)
    query = (
        f"SELECT {COLUMNS}{sort_columns(request.sort)} FROM tasks t {sql.where_sql()} {order}"
        f" LIMIT {sql.bind(limit + 1)}"
    )
    rows = await fetch(Task, query, *sql.params)
    items = await _with_labels(rows[:limit])
    return TaskPage(items, next_cursor(rows, limit, request.sort), request.sort_key)


async def tasks_between(
    start: datetime, end: datetime, user_id: int, *, open_only: bool = False
) -> list[TaskView]:
    """``user_id``'s tasks due in ``[start, end)`` that the principal may see (the calendar and the ICS feed).

    All-day tasks count by their date: the window's dates are widened by a day on each side and the
    caller places them by ``due_date``.
    """
    sql = Sql()
    scope(sql)
    sql.where(mine_condition(sql, user_id))
    if open_only:
        sql.where("t.status = 'open'")
    low, high = sql.bind(start), sql.bind(end)
    first, last = sql.bind(start.date() - timedelta(days=1)), sql.bind(end.date() + timedelta(days=1))
    sql.where(
        f"((NOT t.all_day AND t.due_at >= {low} AND t.due_at < {high})"
        f" OR (t.all_day AND t.due_date >= {first} AND t.due_date <= {last}))"
    )
    query = f"SELECT {COLUMNS} FROM tasks t {sql.where_sql()} ORDER BY t.due_at, t.id LIMIT 1000"
    return await _with_labels(await fetch(Task, query, *sql.params))


async def open_tasks_of(user_id: int, *, limit: int = 1000) -> list[TaskView]:
    """``user_id``'s open tasks with a due time (the ICS feed), soonest first."""
    sql = Sql()
    scope(sql)
    sql.where(mine_condition(sql, user_id))
    sql.where("t.status = 'open' AND t.due_at IS NOT NULL")
    query = f"SELECT {COLUMNS} FROM tasks t {sql.where_sql()} ORDER BY t.due_at, t.id LIMIT {sql.bind(limit)}"
    return [task_from_row(row) for row in await fetch(Task, query, *sql.params)]
