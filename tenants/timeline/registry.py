"""THE registration point of the timeline: features add entries to a record's timeline by registering a source.

A source is ``async def fetch(query: TimelineQuery) -> Sequence[TimelineEntry]``. It returns, newest first, at
most ``query.limit`` entries about ``query.record_type`` / ``query.record_ids`` whose ``(occurred_at, seq)`` is
below ``query.before`` (a row comparison; ``seq`` is any integer unique within the source and increasing with
time for equal timestamps, such as the row id), and only entries the principal may see. It answers ``[]`` for
record types it has nothing for. The timeline asks every source for one page, merges them newest first
(ties broken by source name then ``seq``) and hands out an opaque cursor, so "Show older" never skips or repeats
an entry however the sources interleave. ``record_ids`` holds the record's id and every id merged into it.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sampark.tenants.history.services import merged_ids

__all__ = [
    "InvalidCursor", "TimelineEntry", "TimelinePage", "TimelineQuery", "read_timeline", "register_timeline_source",
    "registered_sources",
]  # fmt: skip

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_MAX_SEQ = 2**63 - 1


class InvalidCursor(ValueError):
    """A ``before`` cursor this code did not produce."""


@dataclass(frozen=True)
class TimelineQuery:
    record_type: str
    record_id: int
    # The record and every record merged into it.
    record_ids: tuple[int, ...]
    # Entries strictly below this (occurred_at, seq); None for the newest.
    before: tuple[datetime, int] | None
    limit: int


@dataclass(frozen=True)
class TimelineEntry:
    """One line on the timeline.

    Attributes:
        source: the registered source name (set by the timeline; sources may leave it empty).
        seq: unique within the source; orders entries with the same ``occurred_at``.
        kind: what it is, for styling and filtering (``note``, ``call``, ``history.update``, ``invoice``...).
        occurred_at: when it happened (aware datetime).
        title: one line for people (plain text; templates escape it).
        summary: longer plain text (may hold line breaks), or "".
        actor: who did it, as a display name, or "".
        link: a path under ``/t/<slug>`` to open it, or None.
        icon: a short key the stylesheet knows (``note``, ``call``, ``meeting``, ``email``, ``history``...).
        template: the partial that renders ``data`` (``timeline/_generic.html`` shows title and summary).
        data: the source's own object for its template.
    """

    seq: int
    kind: str
    occurred_at: datetime
    title: str
    summary: str = ""
    actor: str = ""
    link: str | None = None
    icon: str = "event"
    template: str = "timeline/_generic.html"
    data: Any = None
    source: str = ""


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry] = field(default_factory=list)
    next_cursor: str | None = None


TimelineSource = Callable[[TimelineQuery], Awaitable[Sequence[TimelineEntry]]]
_SOURCES: dict[str, TimelineSource] = {}


def register_timeline_source(name: str, fetch: TimelineSource) -> None:
    """Add ``fetch`` to every timeline under ``name`` (a module imported twice replaces, never doubles)."""
    _SOURCES[name] = fetch


def registered_sources() -> tuple[str, ...]:
    return tuple(_SOURCES)


def encode_cursor(entry: TimelineEntry) -> str:
    plain = json.dumps([entry.occurred_at.isoformat(), entry.source, entry.seq], separators=(",", ":"))
    return base64.urlsafe_b64encode(plain.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, str, int]:
    """Raises InvalidCursor for anything ``encode_cursor`` did not produce."""
    try:
        value = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        moment, source, seq = value
        when = datetime.fromisoformat(moment)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise InvalidCursor(token[:40]) from None
    if (
        not isinstance(source, str)
        or not isinstance(seq, int)
        or isinstance(seq, bool)
        or when.tzinfo is None
    ):
        raise InvalidCursor(token[:40])
    return when, source, seq


def _bound(source: str, cursor: tuple[datetime, str, int] | None) -> tuple[datetime, int] | None:
    """What ``source`` must stay below so that its entries sort after the cursor in (time, source, seq) order."""
    if cursor is None:
        return None
    when, cursor_source, seq = cursor
    if source == cursor_source:
        return when, seq
    # Same timestamp: sources named higher come first (already shown), lower ones not yet.
    return (when, _MAX_SEQ) if source < cursor_source else (when, 0)


def _order(entry: TimelineEntry) -> tuple[datetime, str, int]:
    return entry.occurred_at, entry.source, entry.seq


async def read_timeline(
    record_type: str, record_id: int, *, before: str | None = None, limit: int = PAGE_SIZE
) -> TimelinePage:
    """One page of the record's timeline, newest first. The caller has checked the principal may see the record.

    Raises:
        InvalidCursor: ``before`` is not a cursor this timeline produced.
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    cursor = decode_cursor(before) if before else None
    ids = tuple(await merged_ids(record_type, record_id))
    gathered: list[TimelineEntry] = []
    for name, fetch in _SOURCES.items():
        query = TimelineQuery(record_type, record_id, ids, _bound(name, cursor), limit + 1)
        for entry in await fetch(query):
            gathered.append(entry if entry.source == name else replace(entry, source=name))
    if cursor is not None:  # a source that ignored part of the contract cannot repeat entries
        gathered = [entry for entry in gathered if _order(entry) < cursor]
    gathered.sort(key=_order, reverse=True)
    page = gathered[:limit]
    return TimelinePage(page, encode_cursor(page[-1]) if len(gathered) > limit else None)
