"""The activities source of the timeline: notes, calls, meetings and e-mails linked to the record.

A company's timeline also shows what was logged on its contacts (see ``queries.related_records``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sampark.tenants.activities.queries import activities_for_record
from sampark.tenants.activities.schemas import ActivityView
from sampark.tenants.history.people import label, members
from sampark.tenants.records.links import link_type
from sampark.tenants.timeline.registry import TimelineEntry, TimelineQuery, register_timeline_source

SOURCE = "activities"


def title(activity: ActivityView) -> str:
    """The subject, or for a note without one the start of its first line."""
    if activity.subject:
        return activity.subject
    first = activity.body.strip().splitlines()[0] if activity.body.strip() else ""
    return first if len(first) <= 80 else first[:79] + "…"


async def activity_entries(query: TimelineQuery) -> Sequence[TimelineEntry]:
    if link_type(query.record_type) is None:
        return []
    found = await activities_for_record(
        query.record_type, query.record_ids, before=query.before, limit=query.limit
    )
    people = await members() if found else {}
    return [
        TimelineEntry(
            seq=activity.id,
            kind=activity.kind,
            occurred_at=activity.occurred_at,
            title=title(activity),
            summary=activity.body,
            actor=label(people, activity.owner_id) if activity.owner_id else "",
            link=f"/activities/{activity.id}",
            icon=activity.kind,
            template="timeline/_activity.html",
            data=activity,
        )
        for activity in found
    ]


register_timeline_source(SOURCE, activity_entries)
