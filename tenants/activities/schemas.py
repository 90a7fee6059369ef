"""What activity services return and raise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict
from sampark.tenants.records.links import LinkedRecord

__all__ = [
    "ActivityError", "ActivityNotFound", "ActivityPage", "ActivityView", "Link", "VersionConflict",
]  # fmt: skip


class ActivityNotFound(RecordNotFound):
    """No such activity, or the principal may not see it."""


class ActivityError(FieldErrors):
    """Invalid activity input, with a message per field (``links`` for the linked records)."""


@dataclass(frozen=True)
class Link:
    """A record the activity is about, as the principal may see it (records it may not see are left out)."""

    record_type: str
    record_id: int
    label: str
    path: str
    attendee: bool = False

    @classmethod
    def of(cls, record: LinkedRecord, attendee: bool = False) -> Link:
        return cls(record.record_type, record.record_id, record.label, record.path, attendee)


@dataclass(frozen=True)
class ActivityView:
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
    version: int
    created_at: datetime
    updated_at: datetime
    links: tuple[Link, ...] = ()

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    @property
    def attendees(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.attendee)

    @property
    def records(self) -> tuple[Link, ...]:
        """The linked records other than attendees."""
        return tuple(link for link in self.links if not link.attendee)


@dataclass(frozen=True)
class ActivityPage:
    items: list[ActivityView]
    next_cursor: str | None
