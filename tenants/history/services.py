"""A record's history, newest first, from the tenant audit log: who changed which field from what to what.

Callers check that the principal may see the record first (its history is part of it). Ids in the log
(owners, companies) are shown as names where they still resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sampark.platform.db.sql import fetch, loads
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, current_principal, visible_owner_ids
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.history.people import label, members
from sampark.tenants.records.links import link_type

PAGE_SIZE = 20
_PEOPLE_FIELDS = frozenset({"owner_id"})
_COMPANY_FIELDS = frozenset({"company_id", "parent_id"})
# Audit object type -> permission object, and hidden-field names -> the audited field they cover.
_OBJECTS = {"contact": "contacts", "company": "companies", "lead": "leads"}
_AUDITED_AS = {"email": "emails", "phone": "phones"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    action: str
    actor_user_id: int | None
    actor: str
    created_at: datetime
    changes: list[Change]


@dataclass(frozen=True)
class HistoryPage:
    entries: list[HistoryEntry]
    # Pass back as ``before`` for older entries; None when these were the oldest.
    next_before: int | None


async def _company_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    try:
        owners = visible_owner_ids("companies")
    except PermissionDenied:
        return {}
    query = "SELECT id, name FROM companies WHERE id = ANY($1::bigint[])"
    args: list[Any] = [sorted(ids)]
    if owners is not None:
        query += " AND owner_id = ANY($2::bigint[])"
        args.append(sorted(owners))
    return {row["id"]: row["name"] for row in await fetch(AuditEntry, query, *args)}


def _display(value: Any, field: str, people: dict[int, Any], companies: dict[int, str]) -> str:
    if value is None or value == "":
        return ""
    if field in _PEOPLE_FIELDS and isinstance(value, int):
        return label(people, value)
    if field in _COMPANY_FIELDS and isinstance(value, int):
        return companies.get(value) or _("Company #%(id)d", id=value)
    return str(value)


# Every id merged into a record, following merges of merges: the merge entries on the survivor name the loser.
_MERGED_IDS = """
WITH RECURSIVE merged(id) AS (
    SELECT $2::bigint
    UNION
    SELECT (a.changes -> 'merged_from' ->> 'after')::bigint FROM audit_log a JOIN merged m ON a.object_id = m.id
    WHERE a.object_type = $1 AND a.action = 'merge' AND a.changes ? 'merged_from'
)
SELECT id FROM merged WHERE id IS NOT NULL LIMIT 1000
"""


async def merged_ids(object_type: str, object_id: int) -> list[int]:
    """``object_id`` and every record merged into it (directly or through earlier merges), itself first."""
    rows = await fetch(AuditEntry, _MERGED_IDS, object_type, object_id)
    return [object_id, *sorted(row["id"] for row in rows if row["id"] != object_id)]


def hidden_audit_fields(object_type: str) -> frozenset[str]:
    """The audited fields of ``object_type`` entries that the principal's role hides (history, audit viewer)."""
    link = link_type(object_type)
    obj = _OBJECTS.get(object_type) or (link.obj if link else "")
    return frozenset(_AUDITED_AS.get(name, name) for name in current_principal().hidden(obj))


async def history_entries(object_type: str, rows: list[Any]) -> list[HistoryEntry]:
    """Audit rows (id, action, actor_user_id, changes, created_at) as history entries, names resolved."""
    # Fields the role may not see stay out of the history too (their values are in the log).
    hidden = hidden_audit_fields(object_type)
    decoded = [
        (row, {field: change for field, change in loads(row["changes"], {}).items() if field not in hidden})
        for row in rows
    ]
    company_ids = {
        value
        for _row, changes in decoded
        for field, change in changes.items()
        if field in _COMPANY_FIELDS
        for value in (change.get("before"), change.get("after"))
        if isinstance(value, int)
    }
    people, companies = await members(), await _company_names(company_ids)
    return [
        HistoryEntry(
            id=row["id"],
            action=row["action"],
            actor_user_id=row["actor_user_id"],
            actor=label(people, row["actor_user_id"]),
            created_at=row["created_at"],
            changes=[
                Change(
                    field,
                    _display(change.get("before"), field, people, companies),
                    _display(change.get("after"), field, people, companies),
                )
                for field, change in sorted(changes.items())
            ],
        )
        for row, changes in decoded
    ]


async def record_history(
    object_type: str, object_id: int, *, before: int | None = None, limit: int = PAGE_SIZE
) -> HistoryPage:
    """Entries for one record, newest first; ``before`` is ``next_before`` of the previous page.

    A record that others were merged into shows their history too (but not their final deletion).
    """
    ids = await merged_ids(object_type, object_id)
    query = (
        "SELECT id, action, actor_user_id, changes, created_at FROM audit_log"
        " WHERE object_type = $1 AND object_id = ANY($2::bigint[]) AND NOT (object_id <> $5 AND action = 'delete')"
        " AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4"
    )
    rows = await fetch(AuditEntry, query, object_type, ids, before, limit + 1, object_id)
    entries = await history_entries(object_type, rows[:limit])
    return HistoryPage(entries, entries[-1].id if len(rows) > limit else None)
