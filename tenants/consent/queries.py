"""The consent changes across contacts, for the admin overview and its CSV export: filters, scope, pages.

A change is shown when the principal may see consent for the contact's owner (``view`` on the page, ``export``
for the file) and may see the contact itself. Changes of contacts deleted since are only shown to those who
see every contact's consent: their owner is gone with them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sampark.platform.db.sql import fetch
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, require, visible_owner_ids
from sampark.tenants.audit.services import record_change
from sampark.tenants.consent.schemas import (
    OBJECT,
    PURPOSES,
    STATUSES,
    ConsentEventView,
    EventPage,
    event_from_row,
)
from sampark.tenants.consent.tables import ConsentEvent
from sampark.tenants.records.queries import date_filter
from sampark.tenants.search.listing import ListError, Sql

PAGE_SIZE = 50
EXPORT_BATCH = 1000
FILTER_NAMES = ("purpose", "status", "date_from", "date_to")


@dataclass(frozen=True)
class ConsentFilters:
    """The valid filters of a request (invalid ones are left out and reported beside their field)."""

    values: Mapping[str, str] = field(default_factory=dict)

    def as_params(self) -> dict[str, str]:
        return dict(self.values)


def parse_filters(params: Mapping[str, str]) -> tuple[ConsentFilters, dict[str, str]]:
    """Split request parameters into usable filters and translated errors per field."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in FILTER_NAMES:
        value = str(params.get(name) or "").strip()[:40]
        if not value:
            continue
        if name == "purpose" and value not in PURPOSES:
            errors[name] = _("Choose a purpose from the list.")
        elif name == "status" and value not in STATUSES:
            errors[name] = _("Choose a status from the list.")
        elif name.startswith("date_"):
            try:
                date_filter("e", "at", until=False)(Sql(), value)
            except ListError as problem:
                errors[name] = problem.message
                continue
        if name not in errors:
            values[name] = value
    return ConsentFilters(values), errors


def _scope(sql: Sql, action: str) -> None:
    """Limit ``sql`` to changes the principal may see (raises PermissionDenied when it may see none)."""
    consent_owners = visible_owner_ids(OBJECT, action)
    try:
        contact_owners = visible_owner_ids("contacts")
    except PermissionDenied:
        contact_owners = frozenset()
    for owners in (consent_owners, contact_owners):
        if owners is not None:
            sql.where(f"c.owner_id = ANY({sql.bind(sorted(owners))}::bigint[])")


async def _rows(filters: ConsentFilters, action: str, before: int | None, limit: int) -> list[Any]:
    sql = Sql()
    _scope(sql, action)
    values = filters.values
    for name in ("purpose", "status"):
        if name in values:
            sql.where(f"e.{name} = {sql.bind(values[name])}")
    if "date_from" in values:
        date_filter("e", "at", until=False)(sql, values["date_from"])
    if "date_to" in values:
        date_filter("e", "at", until=True)(sql, values["date_to"])
    if before is not None:
        sql.where(f"e.id < {sql.bind(before)}")
    query = (
        "SELECT e.id, e.contact_id, e.purpose, e.action, e.status, e.lawful_basis, e.source, e.evidence,"
        " e.actor_user_id, e.at, coalesce(btrim(c.first_name || ' ' || c.last_name), '') AS contact_name"
        f" FROM consent_events e LEFT JOIN contacts c ON c.id = e.contact_id {sql.where_sql()}"
        f" ORDER BY e.id DESC LIMIT {sql.bind(limit)}"
    )
    return await fetch(ConsentEvent, query, *sql.params)


async def list_changes(
    filters: ConsentFilters, *, before: int | None = None, limit: int = PAGE_SIZE
) -> EventPage:
    """A page of consent changes, newest first.

    Raises:
        PermissionDenied: the principal may not view any contact's consent.
    """
    require(OBJECT, "view", record=False)
    rows = await _rows(filters, "view", before, limit + 1)
    items = [event_from_row(row) for row in rows[:limit]]
    return EventPage(items, items[-1].id if len(rows) > limit else None)


async def record_export(filters: ConsentFilters) -> None:
    """Check the export permission and audit the export itself (in the caller's transaction)."""
    principal = require(OBJECT, "export", record=False)
    await record_change(
        "export", OBJECT, None, actor_user_id=principal.user_id, after={"filters": filters.as_params()}
    )


async def export_changes(
    filters: ConsentFilters, *, batch: int = EXPORT_BATCH
) -> AsyncIterator[ConsentEventView]:
    """Every matching change the principal may export, newest first, read in keyset batches."""
    require(OBJECT, "export", record=False)
    before: int | None = None
    while True:
        rows = await _rows(filters, "export", before, batch)
        for row in rows:
            yield event_from_row(row)
        if len(rows) < batch:
            return
        before = rows[-1]["id"]
