"""Read helpers every CRM object's ``queries`` module shares: owner scoping, id filters, keyset pages, counts.

The SQL names the table through ``source`` (``contacts c``) and its alias; everything bound goes through ``Sql``,
so the order of the calls below is the order of the placeholders.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from piccolo.table import Table

from sampark.platform.db.sql import fetch, fetchrow
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.context import current_preferences
from sampark.tenants.access.policy import PermissionDenied, visible_owner_ids
from sampark.tenants.search.listing import (
    Filter,
    ListError,
    ListSpec,
    Sql,
    apply_keyset,
    next_cursor,
    parse_request,
    sort_columns,
)

__all__ = [
    "RowPage", "choice_filter", "count_visible", "date_filter", "id_filter", "list_rows", "owner_scope",
    "visible_flag",
]  # fmt: skip


def owner_scope(sql: Sql, obj: str, alias: str) -> None:
    """Limit ``sql`` to records of owners the principal may see (raises PermissionDenied for none)."""
    owners = visible_owner_ids(obj)
    if owners is not None:
        sql.where(f"{alias}.owner_id = ANY({sql.bind(sorted(owners))}::bigint[])")


def visible_flag(sql: Sql, obj: str, alias: str) -> str:
    """A SQL boolean: may the principal see this row? (``false`` for all when it may not see ``obj`` at all)."""
    try:
        owners = visible_owner_ids(obj)
    except PermissionDenied:
        owners = frozenset()
    return "true" if owners is None else f"{alias}.owner_id = ANY({sql.bind(sorted(owners))}::bigint[])"


def id_filter(alias: str, column: str) -> Filter:
    """A list filter on an id column; anything but a plain id answers ``invalid_filter``."""

    def apply(sql: Sql, value: str) -> None:
        if not value.isdigit() or len(value) > 18:
            raise ListError("invalid_filter", _("Choose one from the list."), column)
        sql.where(f"{alias}.{column} = {sql.bind(int(value))}")

    return apply


def choice_filter(alias: str, column: str, choices: Callable[[], Collection[str]], message: str) -> Filter:
    """A list filter on a column holding one of ``choices`` (read when filtering); anything else is refused."""

    def apply(sql: Sql, value: str) -> None:
        if value not in choices():
            raise ListError("invalid_filter", message, column)
        sql.where(f"{alias}.{column} = {sql.bind(value)}")

    return apply


def date_filter(alias: str, column: str, *, until: bool) -> Filter:
    """A list filter on a timestamp column by calendar day in the reader's time zone: on or after the day
    (``until=False``) or on or before it (``until=True``). The value is an ISO date (``2026-11-22``)."""

    def apply(sql: Sql, value: str) -> None:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ListError("invalid_filter", _("Enter a date like 2026-11-22."), column) from None
        if until:
            day += timedelta(days=1)
        bound = f"({sql.bind(day)}::date::timestamp AT TIME ZONE {sql.bind(current_preferences().time_zone)})"
        sql.where(f"{alias}.{column} {'<' if until else '>='} {bound}")

    return apply


@dataclass(frozen=True)
class RowPage:
    rows: list[Any]
    next_cursor: str | None
    sort: str


async def list_rows(
    table: type[Table],
    spec: ListSpec,
    *,
    obj: str,
    alias: str,
    columns: str,
    join: Callable[[Sql], str],
    limit: int,
    max_page_size: int,
    cursor: str | None,
    sort: str | None,
    filters: Mapping[str, str] | None,
) -> RowPage:
    """A keyset page of the rows of ``obj`` the principal may see, filtered and sorted by ``spec``.

    Raises:
        ListError: unknown filter or sort field, a bad filter value, or a cursor this sort did not produce.
    """
    limit = max(1, min(limit, max_page_size))
    request = parse_request(spec, filters or {}, sort, cursor)
    sql = Sql()
    owner_scope(sql, obj, alias)
    for name, value in request.filters.items():
        spec.filters[name](sql, value)
    joined = join(sql)
    order = apply_keyset(sql, request)
    query = (
        f"SELECT {columns}{sort_columns(request.sort)} FROM {table._meta.tablename} {alias} {joined}"
        f" {sql.where_sql()} {order} LIMIT {sql.bind(limit + 1)}"
    )
    rows = await fetch(table, query, *sql.params)
    return RowPage(rows[:limit], next_cursor(rows, limit, request.sort), request.sort_key)


async def count_visible(table: type[Table], obj: str, alias: str) -> int:
    """How many rows of ``obj`` the principal may see."""
    sql = Sql()
    owner_scope(sql, obj, alias)
    row = await fetchrow(
        table, f"SELECT count(*) FROM {table._meta.tablename} {alias} {sql.where_sql()}", *sql.params
    )
    return int(row[0])
