"""Private ICS feeds: one random token per member, stored hashed, that names its tenant by id.

The token is ``<tenant id>-<random>``: the feed URL leads straight to one tenant's schema (no lookup across
schemas), and the random part, compared by its SHA-256, is what authorizes. Regenerating replaces the token;
revoking deletes it, and the old URL answers 404.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from sampark.platform.db.sql import fetchrow
from sampark.platform.identity.members import active_member_profile
from sampark.platform.tenancy.context import current_tenant, tenant_connection
from sampark.tenants.access.policy import current_principal
from sampark.tenants.audit.services import record_change
from sampark.tenants.calendar.registry import CalendarEntry, entries_between
from sampark.tenants.tasks.tables import CalendarFeed

AUDIT_TYPE = "calendar_feed"
_TOKEN = re.compile(r"^([1-9][0-9]{0,17})-([A-Za-z0-9_-]{20,100})$")
# What the feed covers: a month back (so recent items do not vanish from phones at once) and a year ahead.
PAST, FUTURE = timedelta(days=31), timedelta(days=366)
_PRIORITY = {"urgent": 1, "high": 3, "normal": 5, "low": 9}


@dataclass(frozen=True)
class FeedToken:
    tenant_id: int
    secret_hash: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_token(token: str) -> FeedToken | None:
    """The tenant a feed token names, and its hash; None for anything this code did not issue."""
    match = _TOKEN.match(token)
    if match is None:
        return None
    return FeedToken(int(match.group(1)), _hash(token))


async def feed_exists() -> bool:
    """Whether the acting member has a feed URL."""
    row = await fetchrow(
        CalendarFeed, "SELECT 1 FROM calendar_feeds WHERE user_id = $1", current_principal().user_id
    )
    return row is not None


async def issue_token() -> str:
    """A new feed token for the acting member, replacing any earlier one (whose URL stops working)."""
    user_id = current_principal().user_id
    if user_id is None:
        raise LookupError("feeds belong to members")
    token = f"{current_tenant().id}-{secrets.token_urlsafe(32)}"
    row = await fetchrow(
        CalendarFeed,
        "INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE"
        " SET token_hash = excluded.token_hash, created_at = now(), last_used_at = NULL"
        " RETURNING id, (xmax <> 0) AS replaced",
        user_id, _hash(token),
    )  # fmt: skip
    action = "update" if row["replaced"] else "create"
    await record_change(action, AUDIT_TYPE, row["id"], actor_user_id=user_id, after={"token": "issued"})
    return token


async def revoke_token() -> bool:
    """Delete the acting member's feed token; True when there was one."""
    user_id = current_principal().user_id
    row = await fetchrow(CalendarFeed, "DELETE FROM calendar_feeds WHERE user_id = $1 RETURNING id", user_id)
    if row is not None:
        await record_change(
            "delete", AUDIT_TYPE, row["id"], actor_user_id=user_id, before={"token": "issued"}
        )
    return row is not None


_OWNER = "SELECT user_id FROM calendar_feeds WHERE token_hash = $1"
_TOUCH = "UPDATE calendar_feeds SET last_used_at = now() WHERE token_hash = $1"


async def feed_owner(token: FeedToken) -> tuple[int, str] | None:
    """The active member (user id, role key) a token belongs to, inside its tenant's context; None otherwise.

    The member is read apart from the feed row: users and memberships live in the home database, the feed in
    the tenant's placement (docs/regions.md).
    """
    connection = tenant_connection()
    row = await connection.fetchrow(_OWNER, token.secret_hash)
    member = await active_member_profile(current_tenant().id, row["user_id"]) if row else None
    if row is None or member is None:
        return None
    await connection.execute(_TOUCH, token.secret_hash)
    return row["user_id"], member["role"]


def _event(entry: CalendarEntry, tenant_id: int, stamp: datetime, base_url: str) -> Event:
    event = Event()
    event.add("uid", f"{entry.uid}.t{tenant_id}@sampark")
    event.add("dtstamp", stamp)
    event.add("summary", entry.title)
    if entry.day is not None:
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
    elif entry.start is not None:
        event.add("dtstart", entry.start.astimezone(UTC))
        if entry.end is not None:
            event.add("dtend", entry.end.astimezone(UTC))
    if entry.description:
        event.add("description", entry.description)
    if entry.updated_at is not None:
        event.add("last-modified", entry.updated_at.astimezone(UTC))
    if entry.kind:
        event.add("categories", [entry.kind])
    if entry.priority in _PRIORITY:
        event.add("priority", _PRIORITY[entry.priority])
    if entry.path and base_url:
        event.add("url", base_url + entry.path)
    return event


async def build_feed(user_id: int, base_url: str, *, now: datetime | None = None) -> bytes:
    """The member's open calendar entries as an RFC 5545 calendar (UTC times; folding and escaping by
    ``icalendar``). Runs as that member's principal, so it shows only what they may see."""
    moment = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//Sampark//Sampark CRM//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Sampark")
    tenant_id = current_tenant().id
    for entry in await entries_between(moment - PAST, moment + FUTURE, user_id):
        if not entry.done:
            calendar.add_component(_event(entry, tenant_id, moment, base_url))
    return bytes(calendar.to_ical())
