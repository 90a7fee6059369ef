"""Dropping a tenant retries when PostgreSQL picks it as a deadlock victim (requests still running in it)."""

import asyncpg
import pytest

from sampark.platform.tenancy import provisioning


async def test_a_deadlocked_drop_is_retried_then_succeeds(monkeypatch) -> None:
    calls: list[str] = []

    async def flaky(slug: str) -> bool:
        calls.append(slug)
        if len(calls) < 3:
            raise asyncpg.DeadlockDetectedError("deadlock detected")
        return True

    monkeypatch.setattr(provisioning, "_drop_tenant_once", flaky)
    assert await provisioning.drop_tenant("acme") is True
    assert calls == ["acme", "acme", "acme"]


async def test_a_drop_that_keeps_deadlocking_gives_up_with_the_error(monkeypatch) -> None:
    calls: list[str] = []

    async def always(slug: str) -> bool:
        calls.append(slug)
        raise asyncpg.DeadlockDetectedError("deadlock detected")

    monkeypatch.setattr(provisioning, "_drop_tenant_once", always)
    with pytest.raises(asyncpg.DeadlockDetectedError):
        await provisioning.drop_tenant("acme", attempts=2)
    assert len(calls) == 2
