"""Server-side sessions on the real Redis."""

import asyncio
import time
from datetime import timedelta

from redis.asyncio import Redis

from sampark.platform.identity.sessions import SESSION_PREFIX, SessionStore, session_key


async def test_create_and_load_round_trip(redis: Redis) -> None:
    store = SessionStore(redis)
    session_id = await store.create(7, {"locale": "hi", "tags": [], "nested": {"a": [1, 2]}})
    session = await store.load(session_id)
    assert session is not None
    assert session.user_id == 7
    assert (
        session.data["locale"] == "hi"
        and session.data["tags"] == []
        and session.data["nested"] == {"a": [1, 2]}
    )
    assert len(session.csrf_token) >= 43 and session.data["csrf_token"] == session.csrf_token
    assert len(session_id) >= 43
    other = await store.load(await store.create(7))
    assert other is not None and other.csrf_token != session.csrf_token


async def test_the_raw_id_is_never_a_redis_key_nor_in_repr(redis: Redis) -> None:
    store = SessionStore(redis)
    session_id = await store.create(None)
    keys = [key async for key in redis.scan_iter(match=SESSION_PREFIX + "*")]
    assert session_key(session_id) in keys
    assert not any(session_id in key for key in keys)
    session = await store.load(session_id)
    assert session_id not in repr(session) and session.csrf_token not in repr(session)


async def test_unknown_and_absurd_ids_load_nothing(redis: Redis) -> None:
    store = SessionStore(redis)
    assert await store.load("no-such-session") is None
    assert await store.load("x" * 10_000) is None
    assert await store.load(None) is None
    assert await store.load("") is None


async def test_save_replaces_data_and_keeps_the_csrf_token(redis: Redis) -> None:
    store = SessionStore(redis)
    session_id = await store.create(3, {"step": 1})
    session = await store.load(session_id)
    assert session is not None
    assert await store.save(session_id, {"step": 2})
    reloaded = await store.load(session_id)
    assert reloaded is not None
    assert reloaded.data["step"] == 2 and reloaded.csrf_token == session.csrf_token and reloaded.user_id == 3
    await store.destroy(session_id)
    assert not await store.save(session_id, {"step": 3})
    assert await store.load(session_id) is None  # save did not resurrect it


async def test_rotate_moves_the_data_and_kills_the_old_id(redis: Redis) -> None:
    store = SessionStore(redis)
    old_id = await store.create(5, {"cart": "x"})
    old = await store.load(old_id)
    new_id = await store.rotate(old_id)
    assert new_id is not None and new_id != old_id
    assert await store.load(old_id) is None
    new = await store.load(new_id)
    assert new is not None and old is not None
    assert new.data["cart"] == "x" and new.user_id == 5
    assert new.csrf_token != old.csrf_token
    assert await store.rotate(old_id) is None  # a dead id cannot be rotated again


async def test_concurrent_rotations_of_one_id_yield_one_session(redis: Redis) -> None:
    store = SessionStore(redis)
    old_id = await store.create(5)
    results = await asyncio.gather(*(store.rotate(old_id) for _ in range(5)))
    assert len([r for r in results if r is not None]) == 1


async def test_login_binds_the_user_and_carries_anonymous_data(redis: Redis) -> None:
    store = SessionStore(redis)
    anonymous = await store.create(None, {"next": "/t/acme/contacts"})
    signed_in = await store.login(anonymous, 42, {"tenant": "acme"})
    assert await store.load(anonymous) is None
    session = await store.load(signed_in)
    assert session is not None and session.user_id == 42
    assert session.data["next"] == "/t/acme/contacts" and session.data["tenant"] == "acme"
    fresh = await store.load(await store.login(None, 42))
    assert fresh is not None and fresh.user_id == 42


async def test_destroy_ends_the_session(redis: Redis) -> None:
    store = SessionStore(redis)
    session_id = await store.create(9)
    await store.destroy(session_id)
    assert await store.load(session_id) is None
    await store.destroy(session_id)  # twice is harmless


async def test_destroy_all_for_user_spares_other_users(redis: Redis) -> None:
    store = SessionStore(redis)
    user, other = 10_000 + int(time.time() * 1000) % 10_000, 1
    mine = [await store.create(user), await store.login(None, user)]
    rotated = await store.rotate(mine[0])
    theirs = await store.create(other)
    assert rotated is not None
    assert await store.destroy_all_for_user(user) == 2
    assert await store.load(rotated) is None and await store.load(mine[1]) is None
    assert await store.load(theirs) is not None
    assert await store.destroy_all_for_user(user) == 0


async def test_idle_sessions_expire(redis: Redis) -> None:
    store = SessionStore(redis, idle_timeout=timedelta(milliseconds=300))
    session_id = await store.create(1)
    await asyncio.sleep(0.6)
    assert await store.load(session_id) is None


async def test_loading_pushes_the_idle_expiry_forward(redis: Redis) -> None:
    store = SessionStore(redis, idle_timeout=timedelta(hours=1))
    session_id = await store.create(1)
    key = session_key(session_id)
    await redis.pexpire(key, 5_000)  # as if the session had sat idle for most of its window
    assert await store.load(session_id) is not None
    assert await redis.pttl(key) > 60_000


async def test_the_absolute_lifetime_wins_over_activity(redis: Redis) -> None:
    store = SessionStore(redis, max_age=timedelta(days=14), idle_timeout=timedelta(days=2))
    session_id = await store.create(1)
    key = session_key(session_id)
    await redis.hset(key, "created", repr(time.time() - 15 * 86_400))  # signed in 15 days ago
    assert await store.load(session_id) is None
    assert not await redis.exists(key)
    # Near the end of its life a session's TTL is cut to what is left, not a full idle window.
    soon = await store.create(1)
    await redis.hset(session_key(soon), "created", repr(time.time() - 14 * 86_400 + 60))
    assert await store.load(soon) is not None
    assert 0 < await redis.pttl(session_key(soon)) <= 60_000
