"""The record-history source of the timeline: creation, field changes, owner hand-overs, stage changes and
merges, read from the audit log (``object_type`` is the record type, as every CRM service writes it).

A record that others were merged into shows their history too, except their final deletion.
"""

from __future__ import annotations

from collections.abc import Sequence

from sampark.platform.db.sql import fetch
from sampark.platform.i18n import gettext as _
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.history.services import HistoryEntry, history_entries
from sampark.tenants.records.links import link_type
from sampark.tenants.timeline.registry import TimelineEntry, TimelineQuery, register_timeline_source

SOURCE = "history"
_STAGE_FIELDS = ("lifecycle_stage", "stage", "stage_id")

_ROWS = """
SELECT id, action, actor_user_id, changes, created_at FROM audit_log
WHERE object_type = $1 AND object_id = ANY($2::bigint[]) AND NOT (object_id <> $3 AND action = 'delete')
  AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5))
ORDER BY created_at DESC, id DESC LIMIT $6
"""


def history_title(entry: HistoryEntry) -> str:
    fields = {change.field: change for change in entry.changes}
    if entry.action == "create":
        return _("Created")
    if entry.action == "delete":
        return _("Deleted")
    if entry.action == "merge":
        return _("Another record was merged into this one")
    if "owner_id" in fields:
        return _("Handed over to %(name)s", name=fields["owner_id"].after or "—")
    if any(name in fields for name in _STAGE_FIELDS):
        return _("Stage changed")
    return _("Changed")


async def history_source(query: TimelineQuery) -> Sequence[TimelineEntry]:
    if link_type(query.record_type) is None:
        return []
    when, seq = query.before if query.before else (None, 0)
    rows = await fetch(
        AuditEntry, _ROWS, query.record_type, list(query.record_ids), query.record_id, when, seq, query.limit
    )
    entries = await history_entries(query.record_type, rows)
    return [
        TimelineEntry(
            seq=entry.id,
            kind=f"history.{entry.action}",
            occurred_at=entry.created_at,
            title=history_title(entry),
            actor=entry.actor,
            icon="history",
            template="timeline/_history.html",
            data=entry,
        )
        for entry in entries
    ]


register_timeline_source(SOURCE, history_source)
