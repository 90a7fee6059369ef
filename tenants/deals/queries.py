"""Deal reads: one deal with its contacts, keyset lists with allowlisted filters and sorts, stage history, and
the "lost per stage" report. Every read is limited to the deals the principal may see."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sampark.platform.db.sql import fetch, fetchrow
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.tenant_text import load
from sampark.tenants.access.policy import PermissionDenied, current_principal_or_none, visible_owner_ids
from sampark.tenants.currencies.conversion import (
    AGGREGATES,
    BaseTotal,
    base_amount_sql,
    base_currency,
    total_from_row,
)
from sampark.tenants.customfields.filters import with_custom
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.schemas import FieldDefinition
from sampark.tenants.deals.fields import STATUSES, parse_amount, parse_date
from sampark.tenants.deals.schemas import (
    DealPage,
    DealView,
    LinkedContact,
    StageCount,
    StageMove,
    deal_from_row,
)
from sampark.tenants.deals.tables import Deal
from sampark.tenants.pipelines.queries import require_pipeline
from sampark.tenants.records.queries import count_visible, id_filter, list_rows, owner_scope
from sampark.tenants.search.listing import Filter, ListError, ListSpec, Sort, Sql
from sampark.tenants.search.text import prefix_tsquery

OBJECT = "deals"
MAX_PAGE_SIZE = 100
COLUMNS = (
    "d.id, d.name, d.amount, d.currency, d.expected_close_date, d.owner_id, d.pipeline_id, p.name AS pipeline_name,"
    " p.names AS pipeline_names, d.stage_id, s.name AS stage_name, s.names AS stage_names, s.kind AS stage_kind, s.probability, d.company_id, co.name AS company_name,"
    " d.status, d.lost_reason, d.lost_note, d.closed_at, d.version, d.created_at, d.updated_at, d.custom"
)
# Integer sort keys (keyset cursors carry ints); the same expressions are indexed (tenants/deals/tables.py).
CLOSE_KEY = "(coalesce(d.expected_close_date, '9999-12-31'::date) - '2000-01-01'::date)"
AMOUNT_KEY = "((d.amount * 1000)::bigint)"


def scope(sql: Sql, alias: str = "d") -> None:
    owner_scope(sql, OBJECT, alias)


def joins(sql: Sql, alias: str = "d") -> str:
    """Stage, pipeline and the company (its name only when the principal may see that company)."""
    stage = (
        f"JOIN pipeline_stages s ON s.id = {alias}.stage_id JOIN pipelines p ON p.id = {alias}.pipeline_id"
    )
    try:
        owners = visible_owner_ids("companies")
    except PermissionDenied:
        return f"{stage} LEFT JOIN companies co ON false"
    company = f"LEFT JOIN companies co ON co.id = {alias}.company_id"
    if owners is not None:
        company += f" AND co.owner_id = ANY({sql.bind(sorted(owners))}::bigint[])"
    return f"{stage} {company}"


def _name_filter(sql: Sql, value: str) -> None:
    query = prefix_tsquery(value)
    sql.where(f"d.search_vector @@ to_tsquery('simple', {sql.bind(query)})" if query else "false")


def _status_filter(sql: Sql, value: str) -> None:
    if value not in STATUSES:
        raise ListError("invalid_filter", _("Choose one from the list."), "status")
    sql.where(f"d.status = {sql.bind(value)}")


def _amount_filter(operator: str, field: str) -> Filter:
    def apply(sql: Sql, value: str) -> None:
        amount = parse_amount(value)
        if amount is None or abs(amount) >= Decimal("1e15"):
            raise ListError("invalid_filter", _("Enter an amount like 1250.50."), field)
        sql.where(f"d.amount {operator} {sql.bind(amount)}")

    return apply


def _date_filter(operator: str, field: str) -> Filter:
    def apply(sql: Sql, value: str) -> None:
        try:
            day: date = parse_date(value)
        except ValueError:
            raise ListError("invalid_filter", _("Enter a date like 2026-03-31."), field) from None
        sql.where(f"d.expected_close_date {operator} {sql.bind(day)}")

    return apply


def _contact_filter(sql: Sql, value: str) -> None:
    if not value.isdigit() or len(value) > 18:
        raise ListError("invalid_filter", _("Choose one from the list."), "contact_id")
    sql.where(
        f"EXISTS (SELECT 1 FROM deal_contacts dc WHERE dc.deal_id = d.id AND dc.contact_id = {sql.bind(int(value))})"
    )


LIST_SPEC = ListSpec(
    filters={
        "name": _name_filter,
        "pipeline_id": id_filter("d", "pipeline_id"),
        "stage_id": id_filter("d", "stage_id"),
        "owner_id": id_filter("d", "owner_id"),
        "company_id": id_filter("d", "company_id"),
        "contact_id": _contact_filter,
        "status": _status_filter,
        "amount_min": _amount_filter(">=", "amount_min"),
        "amount_max": _amount_filter("<=", "amount_max"),
        "close_from": _date_filter(">=", "close_from"),
        "close_to": _date_filter("<=", "close_to"),
    },
    sorts={
        "name": Sort(("lower(d.name)", "d.id"), ("text", "int")),
        "amount": Sort((AMOUNT_KEY, "d.id"), ("int", "int")),
        "expected_close_date": Sort((CLOSE_KEY, "d.id"), ("int", "int")),
        "created_at": Sort(("d.created_at", "d.id"), ("datetime", "int")),
        "updated_at": Sort(("d.updated_at", "d.id"), ("datetime", "int")),
        "id": Sort(("d.id",), ("int",)),
    },
    default_sort="-updated_at",
)


async def linked_contacts(deal_id: int) -> tuple[LinkedContact, ...]:
    """The deal's contacts the principal may see, by name (none when contacts are not visible at all)."""
    sql = Sql()
    sql.where(f"dc.deal_id = {sql.bind(deal_id)}")
    try:
        owner_scope(sql, "contacts", "c")
    except PermissionDenied:
        return ()
    rows = await fetch(
        Deal,
        "SELECT c.id, btrim(c.first_name || ' ' || c.last_name) AS name FROM deal_contacts dc"
        f" JOIN contacts c ON c.id = dc.contact_id {sql.where_sql()} ORDER BY lower(c.first_name), c.id",
        *sql.params,
    )
    return tuple(LinkedContact(row["id"], row["name"]) for row in rows)


# The deal fields a role can hide (``roles.hidden_fields["deals"]``), and what the reader sees instead.
HIDEABLE: dict[str, dict[str, Any]] = {"lost_note": {"lost_note": ""}}


def masked(view: DealView) -> DealView:
    """``view`` with the fields the principal's role hides blanked."""
    principal = current_principal_or_none()
    changes: dict[str, Any] = {}
    for name in principal.hidden(OBJECT) if principal is not None else ():
        changes.update(HIDEABLE.get(name, {}))
    return dataclasses.replace(view, **changes) if changes else view


async def get_deal(deal_id: int, *, lock: bool = False, scoped: bool = True) -> DealView | None:
    """One deal with its contacts, or None when it does not exist or the principal may not see it.

    ``scoped=False`` is for services re-reading a deal they just wrote (it may now belong to someone else).
    """
    sql = Sql()
    sql.where(f"d.id = {sql.bind(deal_id)}")
    if scoped:
        scope(sql)
    query = f"SELECT {COLUMNS} FROM deals d {joins(sql)} {sql.where_sql()}" + (
        " FOR UPDATE OF d" if lock else ""
    )
    row = await fetchrow(Deal, query, *sql.params)
    return masked(deal_from_row(row, await linked_contacts(deal_id))) if row else None


async def list_deals(
    *,
    limit: int = 25,
    cursor: str | None = None,
    sort: str | None = None,
    filters: Mapping[str, str] | None = None,
    fields: Sequence[FieldDefinition] | None = None,
) -> DealPage:
    """A keyset page of the deals the principal may see (contacts are not loaded on lists).

    ``fields`` are the active custom deal fields when the caller has them already (their ``cf.`` filters).

    Raises:
        ListError: unknown filter or sort field, a bad filter value, or a foreign cursor.
    """
    spec = with_custom(LIST_SPEC, fields if fields is not None else await fields_for(OBJECT), "d")
    page = await list_rows(
        Deal, spec, obj=OBJECT, alias="d", columns=COLUMNS, join=joins, limit=limit,
        max_page_size=MAX_PAGE_SIZE, cursor=cursor, sort=sort, filters=filters,
    )  # fmt: skip
    return DealPage([masked(deal_from_row(row)) for row in page.rows], page.next_cursor, page.sort)


async def count_deals() -> int:
    return await count_visible(Deal, OBJECT, "d")


async def stage_history(deal_id: int) -> list[StageMove]:
    """Every stage change of a deal, newest first (callers check the deal is visible first)."""
    rows = await fetch(
        Deal,
        "SELECT h.id, h.from_stage_id, f.name AS from_name, f.names AS from_names, h.to_stage_id, t.name AS to_name,"
        " t.names AS to_names, h.moved_by, h.moved_at"
        " FROM deal_stage_history h LEFT JOIN pipeline_stages f ON f.id = h.from_stage_id"
        " LEFT JOIN pipeline_stages t ON t.id = h.to_stage_id WHERE h.deal_id = $1 ORDER BY h.id DESC LIMIT 200",
        deal_id,
    )
    return [
        StageMove(
            row["id"],
            row["from_stage_id"],
            row["from_name"],
            row["to_stage_id"],
            row["to_name"],
            row["moved_by"],
            row["moved_at"],
            load(row["from_names"]),
            load(row["to_names"]),
        )
        for row in rows
    ]


# A lost deal sitting in a "lost" stage was lost from the stage it last came from; one marked lost in place
# (a pipeline without a lost stage) was lost from where it is.
_LOST_PER_STAGE = """
SELECT lost_from, count(*) AS deals, {aggregates} FROM (
  SELECT CASE WHEN s.kind = 'lost' THEN (
      SELECT h.from_stage_id FROM deal_stage_history h WHERE h.deal_id = d.id AND h.to_stage_id = d.stage_id
      ORDER BY h.id DESC LIMIT 1
    ) ELSE d.stage_id END AS lost_from, d.currency, {value} AS value
  FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id {join}
  {where}
) lost GROUP BY lost_from
"""


async def lost_per_stage(pipeline_id: int) -> list[StageCount]:
    """Deals lost in a pipeline, counted and valued in the base currency by the stage they were lost from,
    in pipeline order."""
    pipeline = await require_pipeline(pipeline_id)
    base = await base_currency()
    sql = Sql()
    value, join = base_amount_sql(sql, base)
    sql.where(f"d.pipeline_id = {sql.bind(pipeline_id)}")
    sql.where("d.status = 'lost'")
    scope(sql)
    statement = _LOST_PER_STAGE.format(aggregates=AGGREGATES, value=value, join=join, where=sql.where_sql())
    rows = await fetch(Deal, statement, *sql.params)
    found = {row["lost_from"]: (int(row["deals"]), total_from_row(row, base)) for row in rows}
    report = [
        StageCount(stage.id, stage.label, *found.pop(stage.id))
        for stage in pipeline.stages
        if stage.id in found
    ]
    if found:
        totals = list(found.values())
        report.append(
            StageCount(
                None,
                None,
                sum(count for count, _ in totals),
                BaseTotal(
                    base,
                    sum((total.amount for _, total in totals), Decimal(0)),
                    tuple(sorted({code for _, total in totals for code in total.missing})),
                    sum(total.missing_count for _, total in totals),
                ),
            )
        )
    return report
