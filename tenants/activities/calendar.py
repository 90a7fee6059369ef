"""Meetings as a calendar source: each meeting the user organised in the window, from its start to its end."""

from __future__ import annotations

from datetime import datetime

from sampark.platform.i18n import gettext as _
from sampark.tenants.activities.queries import meetings_between
from sampark.tenants.activities.schemas import ActivityView
from sampark.tenants.calendar.registry import CalendarEntry, register_calendar_source


def meeting_entry(meeting: ActivityView) -> CalendarEntry:
    # A meeting has no page of its own: it opens on the timeline of the first record it is about.
    records = meeting.records or meeting.links
    path = f"{records[0].path}#timeline" if records else f"/activities/{meeting.id}/edit"
    description = "\n".join(part for part in (meeting.location, meeting.body) if part)
    return CalendarEntry(
        uid=f"meeting-{meeting.id}",
        source="meetings",
        title=meeting.subject or _("Meeting"),
        start=meeting.starts_at,
        end=meeting.ends_at,
        path=path,
        kind=_("Meeting"),
        updated_at=meeting.updated_at,
        description=description,
    )


async def meeting_entries(start: datetime, end: datetime, user_id: int) -> list[CalendarEntry]:
    return [meeting_entry(meeting) for meeting in await meetings_between(start, end, user_id)]


register_calendar_source("meetings", meeting_entries)
