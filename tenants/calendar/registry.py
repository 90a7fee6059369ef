"""Where calendar entries come from: a registry of sources (tasks here; meetings from activities later).

A source is ``fetch(start, end, user_id) -> list[CalendarEntry]``: the entries of ``user_id`` between two UTC
moments that the current principal may see. The calendar page and the ICS feed ask every source, so a feature
added later appears in both by registering once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

__all__ = ["CalendarEntry", "Fetch", "entries_between", "register_calendar_source", "registered_sources"]


@dataclass(frozen=True)
class CalendarEntry:
    """One thing on the calendar.

    Attributes:
        uid: stable across fetches and releases (the ICS UID's local part): ``task-12``.
        source: the registering feature (``tasks``, ``meetings``).
        title: plain text (escaped when shown).
        start: a UTC moment, or None for an all-day entry.
        day: the calendar date of an all-day entry (None otherwise).
        end: when a timed entry ends (None: a point in time, like a task's due time).
        path: the page under ``/t/<slug>`` that shows it ("" for none).
        kind: a translated word for the kind of entry ("Task", "Meeting").
        done: finished (shown struck through; left out of the ICS feed).
        updated_at: last change (the ICS LAST-MODIFIED).
        description: plain text for the ICS DESCRIPTION.
    """

    uid: str
    source: str
    title: str
    start: datetime | None
    day: date | None = None
    end: datetime | None = None
    path: str = ""
    kind: str = ""
    done: bool = False
    updated_at: datetime | None = None
    description: str = ""
    priority: str = ""


Fetch = Callable[[datetime, datetime, int], Awaitable[list[CalendarEntry]]]
_SOURCES: dict[str, Fetch] = {}
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def register_calendar_source(name: str, fetch: Fetch) -> None:
    """Add (or replace, when a module is imported again) the source ``name``."""
    _SOURCES[name] = fetch


def registered_sources() -> tuple[str, ...]:
    return tuple(_SOURCES)


async def entries_between(start: datetime, end: datetime, user_id: int) -> list[CalendarEntry]:
    """Every source's entries for ``user_id`` in ``[start, end)``, all-day first, then by time."""
    entries: list[CalendarEntry] = []
    for fetch in _SOURCES.values():
        entries.extend(await fetch(start, end, user_id))
    return sorted(entries, key=lambda e: (e.day or (e.start.date() if e.start else date.min), e.start is not None,
                                          e.start or _EARLIEST, e.uid))  # fmt: skip
