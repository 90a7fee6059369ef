"""The sliding-window limiter on the real Redis."""

import asyncio
import secrets

from redis.asyncio import Redis

from sampark.platform.identity.ratelimit import IP_FACTOR, hit, hit_login, limit_key


def fresh_key() -> str:
    return limit_key("test", secrets.token_hex(8))


async def test_allows_the_limit_then_refuses_then_allows_after_the_window(redis: Redis) -> None:
    key = fresh_key()
    results = [await hit(redis, key, 3, 1) for _ in range(3)]
    assert results == [(True, 0)] * 3
    allowed, retry_after = await hit(redis, key, 3, 1)
    assert not allowed and retry_after >= 1
    await asyncio.sleep(retry_after + 0.2)
    assert (await hit(redis, key, 3, 1))[0]


async def test_refused_attempts_do_not_extend_the_wait(redis: Redis) -> None:
    key = fresh_key()
    assert (await hit(redis, key, 1, 2))[0]
    for _ in range(5):
        assert not (await hit(redis, key, 1, 2))[0]
    assert await redis.zcard(key) == 1  # only the allowed hit is recorded


async def test_keys_are_independent(redis: Redis) -> None:
    a, b = fresh_key(), fresh_key()
    assert (await hit(redis, a, 1, 60))[0]
    assert not (await hit(redis, a, 1, 60))[0]
    assert (await hit(redis, b, 1, 60))[0]


async def test_concurrent_hits_never_exceed_the_limit(redis: Redis) -> None:
    key = fresh_key()
    results = await asyncio.gather(*(hit(redis, key, 5, 60) for _ in range(40)))
    assert sum(allowed for allowed, _ in results) == 5


async def test_login_limit_per_email_holds_across_addresses(redis: Redis) -> None:
    email = f"{secrets.token_hex(4)}@example.com"
    for n in range(3):
        assert (await hit_login(redis, ip=f"10.0.0.{n}", email=email, per_minute=3))[0]
    allowed, retry_after = await hit_login(redis, ip="10.0.0.99", email=email.upper(), per_minute=3)
    assert not allowed and 1 <= retry_after <= 60


async def test_login_limit_per_ip_holds_across_emails_and_spares_their_counters(redis: Redis) -> None:
    ip = f"192.0.2.{secrets.randbelow(250)}-{secrets.token_hex(2)}"
    emails = [f"{secrets.token_hex(4)}@example.com" for _ in range(2 * IP_FACTOR + 1)]
    outcomes = [(await hit_login(redis, ip=ip, email=e, per_minute=2))[0] for e in emails]
    assert outcomes == [True] * (2 * IP_FACTOR) + [False]
    # The refused attempt did not count against that e-mail from elsewhere.
    assert (await hit_login(redis, ip="198.51.100.1", email=emails[-1], per_minute=1))[0]


def test_keys_do_not_contain_the_address() -> None:
    key = limit_key("login-email", "asha@example.com")
    assert "asha" not in key and key.startswith("sampark:ratelimit:login-email:")
