"""A user's live sessions, as their account page lists them, and signing one (or all others) out.

Sessions are found through the per-user index ``SessionStore`` keeps. A session is named on the page by a
handle derived from its Redis key (itself a digest of the session id): the handle can revoke that session
for its owner, but nothing derives a session id from it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from sampark.platform.identity.sessions import USER_INDEX_PREFIX, session_key

# Session data keys written at sign-in (web layer) and read here.
META_IP = "client_ip"
META_USER_AGENT = "client_user_agent"
META_LAST_SEEN = "last_seen"
META_MFA = "mfa"


@dataclass(frozen=True)
class SessionInfo:
    handle: str
    created_at: datetime
    last_seen: datetime | None
    ip: str
    user_agent: str
    two_factor: bool
    current: bool

    @property
    def browser(self) -> str:
        return describe_user_agent(self.user_agent)


def handle_for(redis_key: str) -> str:
    return hashlib.sha256(f"sampark-session-handle:{redis_key}".encode()).hexdigest()[:32]


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def _live_keys(redis: Redis, user_id: int) -> list[str]:
    return sorted(_text(member) for member in await redis.smembers(f"{USER_INDEX_PREFIX}{user_id}"))


async def list_sessions(redis: Redis, user_id: int, current_session_id: str | None) -> list[SessionInfo]:
    """The user's live sessions, the current one first, then by most recent activity."""
    current_key = session_key(current_session_id) if current_session_id else None
    keys = await _live_keys(redis, user_id)
    async with redis.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.hmget(key, ["created", "data"])
        rows = await pipe.execute()
    sessions = []
    for key, (created, data) in zip(keys, rows, strict=True):
        if created is None:  # expired since it was indexed
            continue
        try:
            values = json.loads(_text(data)) if data else {}
        except ValueError:
            values = {}
        last_seen = values.get(META_LAST_SEEN)
        sessions.append(
            SessionInfo(
                handle=handle_for(key),
                created_at=datetime.fromtimestamp(float(_text(created)), UTC),
                last_seen=datetime.fromtimestamp(float(last_seen), UTC) if last_seen else None,
                ip=str(values.get(META_IP, "")),
                user_agent=str(values.get(META_USER_AGENT, "")),
                two_factor=bool(values.get(META_MFA)),
                current=key == current_key,
            )
        )
    epoch = datetime.fromtimestamp(0, UTC)
    sessions.sort(key=lambda s: (not s.current, -(s.last_seen or s.created_at or epoch).timestamp()))
    return sessions


async def _delete(redis: Redis, user_id: int, keys: list[str]) -> int:
    if not keys:
        return 0
    async with redis.pipeline(transaction=True) as pipe:
        pipe.delete(*keys)
        pipe.srem(f"{USER_INDEX_PREFIX}{user_id}", *keys)
        deleted, _ = await pipe.execute()
    return int(deleted)


async def revoke_session(redis: Redis, user_id: int, handle: str) -> bool:
    """Sign out the user's session named by ``handle``; it is dead on its next request. False when not found."""
    for key in await _live_keys(redis, user_id):
        if handle_for(key) == handle:
            return await _delete(redis, user_id, [key]) > 0
    return False


async def revoke_other_sessions(redis: Redis, user_id: int, current_session_id: str | None) -> int:
    """Sign out every session of the user except the current one; return how many were live."""
    current_key = session_key(current_session_id) if current_session_id else None
    others = [key for key in await _live_keys(redis, user_id) if key != current_key]
    return await _delete(redis, user_id, others)


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_user_agent(user_agent: str) -> str:
    """A short "Browser on System" for a User-Agent string; the string itself when it is not recognised."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or user_agent
