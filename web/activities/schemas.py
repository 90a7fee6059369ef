"""The activity API's request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec
from msgspec import UNSET, UnsetType

from sampark.tenants.activities.schemas import ActivityView
from sampark.tenants.timeline.registry import TimelineEntry

Kind = Literal["note", "call", "meeting", "email"]


class LinkBody(msgspec.Struct, forbid_unknown_fields=True):
    # A registered record type: contact, company, and whatever later features register (deal, ...).
    record_type: str
    record_id: int


class LinkOut(msgspec.Struct):
    record_type: str
    record_id: int
    label: str
    attendee: bool


class ActivityCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new activity; fields another kind uses are ignored (a note has no duration)."""

    kind: Kind
    links: list[LinkBody] = msgspec.field(default_factory=list)
    subject: str = ""
    # Plain text; shown escaped with its line breaks.
    body: str = ""
    # ISO 8601; default now. A meeting's is its start; an e-mail's is ``sent_at``.
    occurred_at: str | None = None
    # call: minutes, 0-1440
    duration_minutes: int | None = None
    # call: connected, voicemail, no_answer, wrong_number, busy
    outcome: str = ""
    # call, email: inbound or outbound
    direction: str = ""
    # meeting
    starts_at: str | None = None
    ends_at: str | None = None
    location: str = ""
    # meeting: contact ids
    attendees: list[int] = msgspec.field(default_factory=list)
    # email
    email_from: str = ""
    email_to: str = ""
    sent_at: str | None = None


class ActivityPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; ``links`` and ``attendees``, when sent, replace those the caller can see."""

    subject: str | UnsetType = UNSET
    body: str | UnsetType = UNSET
    occurred_at: str | UnsetType = UNSET
    duration_minutes: int | UnsetType | None = UNSET
    outcome: str | UnsetType = UNSET
    direction: str | UnsetType = UNSET
    starts_at: str | UnsetType | None = UNSET
    ends_at: str | UnsetType | None = UNSET
    location: str | UnsetType = UNSET
    email_from: str | UnsetType = UNSET
    email_to: str | UnsetType = UNSET
    sent_at: str | UnsetType = UNSET
    links: list[LinkBody] | UnsetType = UNSET
    attendees: list[int] | UnsetType = UNSET


class ActivityOut(msgspec.Struct):
    id: int
    kind: str
    subject: str
    body: str
    occurred_at: datetime
    owner_id: int | None
    duration_minutes: int | None
    outcome: str
    direction: str
    starts_at: datetime | None
    ends_at: datetime | None
    location: str
    email_from: str
    email_to: str
    links: list[LinkOut]
    version: int
    created_at: datetime
    updated_at: datetime


class ActivityList(msgspec.Struct):
    items: list[ActivityOut]
    next_cursor: str | None


class TimelineEntryOut(msgspec.Struct):
    source: str
    kind: str
    occurred_at: datetime
    title: str
    summary: str
    actor: str
    # A path under /t/<slug>, or null.
    link: str | None
    icon: str


class TimelineOut(msgspec.Struct):
    items: list[TimelineEntryOut]
    next_cursor: str | None


def activity_out(view: ActivityView) -> ActivityOut:
    return ActivityOut(
        id=view.id, kind=view.kind, subject=view.subject, body=view.body, occurred_at=view.occurred_at,
        owner_id=view.owner_id, duration_minutes=view.duration_minutes, outcome=view.outcome,
        direction=view.direction, starts_at=view.starts_at, ends_at=view.ends_at, location=view.location,
        email_from=view.email_from, email_to=view.email_to,
        links=[LinkOut(link.record_type, link.record_id, link.label, link.attendee) for link in view.links],
        version=view.version, created_at=view.created_at, updated_at=view.updated_at,
    )  # fmt: skip


def timeline_out(entry: TimelineEntry) -> TimelineEntryOut:
    return TimelineEntryOut(
        entry.source,
        entry.kind,
        entry.occurred_at,
        entry.title,
        entry.summary,
        entry.actor,
        entry.link,
        entry.icon,
    )
