"""Server-side sessions in Redis.

The browser holds only a random id (256 bits from ``secrets``). Redis holds, under
``sampark:session:<sha256(id)>``, a hash with the user id, the creation time and the session data as JSON.
The raw id is never a Redis key, so a Redis dump, ``MONITOR`` or a slow-log does not hand out live sessions.
Each session expires after ``idle_timeout`` without use and, whatever the use, ``max_age`` after sign-in.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from redis.asyncio import Redis
from redis.typing import EncodableT, FieldT

SESSION_PREFIX = "sampark:session:"
USER_INDEX_PREFIX = "sampark:user-sessions:"
DEFAULT_MAX_AGE = timedelta(days=14)
DEFAULT_IDLE_TIMEOUT = timedelta(days=2)
CSRF_KEY = "csrf_token"
_MAX_ID_LENGTH = 128  # a token_urlsafe(32) is 43 characters; anything much longer is not ours

# Replace the data only while the session exists, keeping its TTL (HSET does not touch it).
_SAVE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'data', ARGV[1])
  return 1
end
return 0
"""
# Add a session to its user's index, dropping entries whose session has expired since.
_INDEX_ADD = """
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', member) == 0 then redis.call('SREM', KEYS[1], member) end
end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""
# Delete every session of a user and the index, atomically, so a sign-in racing this cannot slip through.
# (It touches keys not listed in KEYS: fine on one Redis server, not on Redis Cluster.)
_DESTROY_ALL = """
local count = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  count = count + redis.call('DEL', member)
end
redis.call('DEL', KEYS[1])
return count
"""


@dataclass
class Session:
    """A loaded session. Change ``data`` and pass it to ``SessionStore.save``; never log ``id``."""

    id: str = field(repr=False)
    user_id: int | None
    created_at: float
    data: dict[str, Any] = field(repr=False)

    @property
    def csrf_token(self) -> str:
        return str(self.data.get(CSRF_KEY, ""))


def session_key(session_id: str) -> str:
    """The Redis key of a session: a digest of the id, never the id."""
    return SESSION_PREFIX + hashlib.sha256(session_id.encode()).hexdigest()


def _index_key(user_id: int) -> str:
    return f"{USER_INDEX_PREFIX}{user_id}"


def _plausible(session_id: str | None) -> bool:
    return bool(session_id) and len(session_id or "") <= _MAX_ID_LENGTH


class SessionStore:
    """Create, load, save, rotate and destroy sessions in one Redis database."""

    def __init__(
        self,
        redis: Redis,
        *,
        max_age: timedelta = DEFAULT_MAX_AGE,
        idle_timeout: timedelta = DEFAULT_IDLE_TIMEOUT,
    ) -> None:
        self.redis = redis
        self.max_age_ms = int(max_age.total_seconds() * 1000)
        self.idle_ms = min(int(idle_timeout.total_seconds() * 1000), self.max_age_ms)
        self._save = redis.register_script(_SAVE)
        self._index_add = redis.register_script(_INDEX_ADD)
        self._destroy_all = redis.register_script(_DESTROY_ALL)

    async def create(self, user_id: int | None = None, data: Mapping[str, Any] | None = None) -> str:
        """Start a session (anonymous when ``user_id`` is None) with a fresh CSRF token; return its id."""
        return await self._write(user_id, time.time(), dict(data or {}))

    async def load(self, session_id: str | None) -> Session | None:
        """Return the live session for ``session_id`` and push its idle expiry forward; None when gone."""
        if not _plausible(session_id):
            return None
        assert session_id is not None
        key = session_key(session_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(key)
            pipe.pexpire(key, self.idle_ms)
            fields, _ = await pipe.execute()
        session = self._decode(session_id, fields)
        if session is None:
            return None
        left_ms = int((session.created_at * 1000 + self.max_age_ms) - time.time() * 1000)
        if left_ms <= 0:
            await self._delete(key, session.user_id)
            return None
        if left_ms < self.idle_ms:  # the idle window must not outlive the absolute limit
            await self.redis.pexpire(key, left_ms)
        return session

    async def save(self, session_id: str, data: Mapping[str, Any]) -> bool:
        """Replace the session's data, keeping its CSRF token unless ``data`` has one; False when gone."""
        if not _plausible(session_id):
            return False
        data = dict(data)
        key = session_key(session_id)
        if CSRF_KEY not in data:
            current = await self.redis.hget(key, "data")
            if current is None:
                return False
            data[CSRF_KEY] = json.loads(current).get(CSRF_KEY) or secrets.token_urlsafe(32)
        return bool(await self._save(keys=[key], args=[json.dumps(data, separators=(",", ":"))]))

    async def rotate(self, old_id: str) -> str | None:
        """Move a session to a new id and a new CSRF token, killing the old id; None when it was gone.

        Used whenever privileges change, so an id planted or seen before then is worthless afterwards.
        """
        old = await self._take(old_id)
        if old is None:
            return None
        return await self._write(old.user_id, old.created_at, old.data)

    async def login(self, old_id: str | None, user_id: int, data: Mapping[str, Any] | None = None) -> str:
        """Sign ``user_id`` in: move the anonymous session's data (if any) to a new id bound to the user.

        The old id dies (session fixation), the CSRF token is new, and the absolute lifetime starts now.
        """
        old = await self._take(old_id) if old_id else None
        merged = {**(old.data if old else {}), **(data or {})}
        return await self._write(user_id, time.time(), merged)

    async def destroy(self, session_id: str | None) -> None:
        """End one session (sign-out). Unknown ids are ignored."""
        if _plausible(session_id):
            assert session_id is not None
            await self._take(session_id)

    async def destroy_all_for_user(self, user_id: int) -> int:
        """End every session of ``user_id`` (password change, deactivation); return how many were live."""
        return int(await self._destroy_all(keys=[_index_key(user_id)]))

    async def _write(self, user_id: int | None, created_at: float, data: dict[str, Any]) -> str:
        session_id = secrets.token_urlsafe(32)
        key = session_key(session_id)
        data[CSRF_KEY] = secrets.token_urlsafe(32)
        ttl_ms = max(1, min(self.idle_ms, int((created_at * 1000 + self.max_age_ms) - time.time() * 1000)))
        fields: dict[FieldT, EncodableT] = {
            "user": "" if user_id is None else str(user_id),
            "created": repr(created_at),
            "data": json.dumps(data, separators=(",", ":")),
        }
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=fields)
            pipe.pexpire(key, ttl_ms)
            await pipe.execute()
        if user_id is not None:
            await self._index_add(keys=[_index_key(user_id)], args=[key, self.max_age_ms])
        return session_id

    async def _take(self, session_id: str | None) -> Session | None:
        """Read and delete a session in one step, so two concurrent rotations cannot both inherit it."""
        if not _plausible(session_id):
            return None
        assert session_id is not None
        key = session_key(session_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(key)
            pipe.delete(key)
            fields, _ = await pipe.execute()
        session = self._decode(session_id, fields)
        if session is not None and session.user_id is not None:
            await self.redis.srem(_index_key(session.user_id), key)
        if session is not None and time.time() * 1000 >= session.created_at * 1000 + self.max_age_ms:
            return None
        return session

    async def _delete(self, key: str, user_id: int | None) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            if user_id is not None:
                pipe.srem(_index_key(user_id), key)
            await pipe.execute()

    @staticmethod
    def _decode(session_id: str, fields: Mapping[Any, Any]) -> Session | None:
        if not fields:
            return None
        decoded = {
            (k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
            for k, v in fields.items()
        }
        try:
            data = json.loads(decoded["data"])
            user = decoded.get("user") or ""
            return Session(
                id=session_id,
                user_id=int(user) if user else None,
                created_at=float(decoded["created"]),
                data=data if isinstance(data, dict) else {},
            )
        except (KeyError, ValueError):
            return None
