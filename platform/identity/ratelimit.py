"""A sliding-window rate limiter in Redis, and the login limits built on it."""

from __future__ import annotations

import hashlib
import math
import secrets

from redis.asyncio import Redis

PREFIX = "sampark:ratelimit:"
LOGIN_WINDOW_S = 60
# One address behind a NAT or proxy may carry a whole office, so the per-IP allowance is a multiple of the
# per-e-mail one; guessing one account's password is bounded by the e-mail limit either way.
IP_FACTOR = 5

# A sliding log: one sorted-set member per allowed hit, scored by Redis' own clock (app servers' clocks may
# disagree). Refused hits are not recorded, so a client that keeps hammering is let in again exactly when the
# oldest hit leaves the window, and retry_after tells the truth.
_HIT = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window_ms = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms - window_ms)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now_ms, now_ms .. ':' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window_ms)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window_ms - now_ms
"""


def limit_key(*parts: str) -> str:
    """A namespaced key; the parts are hashed so e-mail and IP addresses never sit in Redis key names."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"{PREFIX}{parts[0]}:{digest}"


async def hit(redis: Redis, key: str, limit: int, window_s: float) -> tuple[bool, int]:
    """Count one attempt against ``key``: at most ``limit`` allowed in any ``window_s`` seconds.

    Returns:
        ``(allowed, retry_after)``: retry_after is 0 when allowed, else the whole seconds (at least 1) until
        the next attempt would be.
    """
    if limit < 1 or window_s <= 0:
        raise ValueError("limit must be at least 1 and window_s positive")
    wait_ms = int(await redis.eval(_HIT, 1, key, limit, int(window_s * 1000), secrets.token_hex(6)))
    if wait_ms <= 0:
        return True, 0
    return False, max(1, math.ceil(wait_ms / 1000))


async def reset(redis: Redis, key: str) -> None:
    await redis.delete(key)


async def hit_login(
    redis: Redis, *, ip: str, email: str, per_minute: int, window_s: float = LOGIN_WINDOW_S
) -> tuple[bool, int]:
    """Count one sign-in attempt against the client address, then against the e-mail address typed.

    A client already over its address limit does not reach the e-mail counter, so it cannot use up the
    allowance of someone else's account from there.

    Returns:
        ``(allowed, retry_after)``; call before checking the password, and refuse when not allowed.
    """
    ip_ok, ip_wait = await hit(redis, limit_key("login-ip", ip), per_minute * IP_FACTOR, window_s)
    if not ip_ok:
        return False, ip_wait
    return await hit(redis, limit_key("login-email", email.strip().lower()), per_minute, window_s)
