"""Fixtures for identity tests: a Redis client on the real Redis, unique e-mail addresses, cleanup."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis

from sampark.platform.config.settings import Settings
from sampark.platform.identity.tables import User
from sampark.platform.redis import redis_from_settings
from sampark.platform.tenancy.provisioning import drop_tenant


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    client = redis_from_settings(settings)
    yield client
    await client.aclose()


@pytest.fixture
async def new_email(database: Settings) -> AsyncIterator[Callable[[], str]]:
    """Hand out fresh addresses and delete the users made with them (memberships go by cascade)."""
    made: list[str] = []

    def make() -> str:
        made.append(f"user-{secrets.token_hex(4)}@example.com")
        return made[-1]

    yield make
    if made:
        await User.delete().where(User.email.is_in(made))


@pytest.fixture
async def drop_slugs(database: Settings) -> AsyncIterator[list[str]]:
    """Slugs appended here are dropped (schema, role, row) after the test, if they exist."""
    slugs: list[str] = []
    yield slugs
    for slug in slugs:
        await drop_tenant(slug)
