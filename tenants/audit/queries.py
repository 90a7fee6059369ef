"""Read the tenant audit log: filtered, keyset-paginated pages (newest first) and batched export reads.

Every read checks the principal: ``audit``/``view`` for pages, ``audit``/``export`` for the export, and leaves
out the changed fields the reader's role hides on that object (``roles.hidden_fields``). Filters
are bound parameters, never SQL text. Date filters are whole days in the reader's time zone (the request's
preferences: member, then team, then tenant default), ``date_to`` inclusive.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sampark.platform.db.sql import fetch, loads
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.context import current_preferences, zone
from sampark.tenants.access.policy import require
from sampark.tenants.audit.services import OPERATOR_FIELD, record_change
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.history.people import label, members
from sampark.tenants.history.services import hidden_audit_fields

PAGE_SIZE = 50
EXPORT_BATCH = 1000

_SELECT = (
    "SELECT id, actor_user_id, actor_service_account_id, action, object_type, object_id, changes, created_at"
    " FROM audit_log"
    " WHERE ($1::bigint IS NULL OR actor_user_id = $1)"
    " AND ($2::text IS NULL OR object_type = $2)"
    " AND ($3::text IS NULL OR action = $3)"
    " AND ($4::bigint IS NULL OR object_id = $4)"
    " AND ($5::timestamptz IS NULL OR created_at >= $5)"
    " AND ($6::timestamptz IS NULL OR created_at < $6)"
    " AND ($7::bigint IS NULL OR id < $7)"
    " ORDER BY id DESC LIMIT $8"
)


@dataclass(frozen=True)
class AuditFilters:
    """What to show; every field optional. ``date_to`` is inclusive."""

    actor_user_id: int | None = None
    object_type: str | None = None
    action: str | None = None
    object_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_params(self) -> dict[str, str]:
        """The filters as query-string values (for links and for recording an export)."""
        values = {
            "person": self.actor_user_id,
            "object_type": self.object_type,
            "action": self.action,
            "object_id": self.object_id,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def _args(self) -> tuple[Any, ...]:
        # Midnight where the reader is: a day in Kolkata starts at 18:30 UTC the evening before.
        reader = zone(current_preferences().time_zone)
        start = _midnight(self.date_from, reader) if self.date_from else None
        end = _midnight(self.date_to + timedelta(days=1), reader) if self.date_to else None
        return (self.actor_user_id, self.object_type, self.action, self.object_id, start, end)


def _midnight(day: date, reader: tzinfo) -> datetime:
    """The first instant of ``day`` in ``reader``'s zone, in UTC (zoneinfo resolves DST gaps and folds)."""
    return datetime.combine(day, time(), reader).astimezone(UTC)


def parse_filters(params: Mapping[str, str]) -> tuple[AuditFilters, dict[str, str]]:
    """Filters from query parameters, and an error message per invalid field (that filter is then ignored)."""
    errors: dict[str, str] = {}

    def text(name: str, limit: int) -> str | None:
        value = (params.get(name) or "").strip()
        if len(value) > limit:
            errors[name] = _("This value is too long.")
            return None
        return value or None

    def number(name: str) -> int | None:
        value = (params.get(name) or "").strip()
        if not value:
            return None
        if not value.isdigit() or len(value) > 18:
            errors[name] = _("Enter a whole number.")
            return None
        return int(value)

    def day(name: str) -> date | None:
        value = (params.get(name) or "").strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            errors[name] = _("Enter a date as YYYY-MM-DD.")
            return None

    filters = AuditFilters(
        actor_user_id=number("person"),
        object_type=text("object_type", 64),
        action=text("action", 32),
        object_id=number("object_id"),
        date_from=day("date_from"),
        date_to=day("date_to"),
    )
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        errors["date_to"] = _("The end date is before the start date.")
        filters = AuditFilters(**{**filters.__dict__, "date_to": None})
    return filters, errors


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditRow:
    id: int
    actor_user_id: int | None
    actor: str
    action: str
    object_type: str
    object_id: int | None
    created_at: datetime
    changes: dict[str, Any]

    @property
    def operator(self) -> str | None:
        """The platform operator who did this (their accesses, and changes made while elevated)."""
        marker = self.changes.get(OPERATOR_FIELD)
        return str(marker.get("after")) if isinstance(marker, dict) and marker.get("after") else None

    @property
    def field_changes(self) -> list[FieldChange]:
        return [
            FieldChange(field, change.get("before"), change.get("after"))
            if isinstance(change, dict)
            else FieldChange(field, None, change)
            for field, change in sorted(self.changes.items())
            if field != OPERATOR_FIELD
        ]


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    # Pass back as ``before`` for older entries; None when these were the oldest.
    next_before: int | None


async def _rows(filters: AuditFilters, before: int | None, limit: int) -> list[Any]:
    return await fetch(AuditEntry, _SELECT, *filters._args(), before, limit)


def _actor(record: Any, people: dict[int, Any]) -> str:
    """Who acted: a member, or a service account through its API key (named by id: it lives in the platform)."""
    if record["actor_service_account_id"] is not None:
        return _("Service account #%(id)d", id=record["actor_service_account_id"])
    return label(people, record["actor_user_id"])


def _to_row(record: Any, people: dict[int, Any]) -> AuditRow:
    return AuditRow(
        id=record["id"],
        actor_user_id=record["actor_user_id"],
        actor=_actor(record, people),
        action=record["action"],
        object_type=record["object_type"],
        object_id=record["object_id"],
        created_at=record["created_at"],
        changes=_visible(record["object_type"], loads(record["changes"], {})),
    )


def _visible(object_type: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes without the fields the reader's role hides on that object (as on the record's history)."""
    hidden = hidden_audit_fields(object_type)
    return {name: change for name, change in changes.items() if name not in hidden} if hidden else changes


async def list_entries(
    filters: AuditFilters, *, before: int | None = None, limit: int = PAGE_SIZE
) -> AuditPage:
    """One page of entries, newest first; ``before`` is ``next_before`` of the previous page."""
    require("audit", "view", record=False)
    records = await _rows(filters, before, limit + 1)
    people = await members()
    rows = [_to_row(record, people) for record in records[:limit]]
    return AuditPage(rows, rows[-1].id if len(records) > limit else None)


async def object_types() -> list[str]:
    """The object types present in this tenant's log (for the filter)."""
    require("audit", "view", record=False)
    return [
        row["object_type"]
        for row in await fetch(AuditEntry, "SELECT DISTINCT object_type FROM audit_log ORDER BY 1")
    ]


async def record_export(filters: AuditFilters) -> None:
    """Check the export permission and audit the export itself (in the caller's transaction)."""
    principal = require("audit", "export", record=False)
    await record_change(
        "export", "audit", None, actor_user_id=principal.user_id, after={"filters": filters.as_params()}
    )


async def export_entries(filters: AuditFilters, *, batch: int = EXPORT_BATCH) -> AsyncIterator[AuditRow]:
    """Every matching entry, newest first, read in keyset batches of ``batch`` rows."""
    require("audit", "export", record=False)
    people = await members()
    before: int | None = None
    while True:
        records = await _rows(filters, before, batch)
        for record in records:
            yield _to_row(record, people)
        if len(records) < batch:
            return
        before = records[-1]["id"]
