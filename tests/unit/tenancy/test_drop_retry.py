"""Dropping a tenant retries when PostgreSQL picks it as a deadlock victim (requests still running in it), and a
drop that gives up puts back the status it replaced with ``dropping``.

The registry calls are replaced here; tests/integration/web/test_tenant_drop_race.py runs the real thing."""

import asyncpg
import pytest

from sampark.platform.tenancy import provisioning


@pytest.fixture
def registry(monkeypatch) -> list[tuple[str, str]]:
    """Record the status changes instead of writing them; the tenant was active."""
    changes: list[tuple[str, str]] = []

    async def mark(slug: str) -> str | None:
        changes.append((slug, "dropping"))
        return "active"

    async def restore(slug: str, previous: str) -> None:
        changes.append((slug, previous))

    monkeypatch.setattr(provisioning, "_mark_dropping", mark)
    monkeypatch.setattr(provisioning, "_restore_status", restore)
    return changes


async def test_a_deadlocked_drop_is_retried_then_succeeds(monkeypatch, registry) -> None:
    calls: list[str] = []

    async def flaky(slug: str) -> bool:
        calls.append(slug)
        if len(calls) < 3:
            raise asyncpg.DeadlockDetectedError("deadlock detected")
        return True

    monkeypatch.setattr(provisioning, "_drop_tenant_once", flaky)
    assert await provisioning.drop_tenant("acme") is True
    assert calls == ["acme", "acme", "acme"]
    assert registry == [("acme", "dropping")]  # marked once, before the first attempt


async def test_a_drop_that_keeps_deadlocking_gives_up_with_the_error(monkeypatch, registry) -> None:
    calls: list[str] = []

    async def always(slug: str) -> bool:
        calls.append(slug)
        raise asyncpg.DeadlockDetectedError("deadlock detected")

    monkeypatch.setattr(provisioning, "_drop_tenant_once", always)
    with pytest.raises(asyncpg.DeadlockDetectedError):
        await provisioning.drop_tenant("acme", attempts=2)
    assert len(calls) == 2
    assert registry == [("acme", "dropping"), ("acme", "active")]


async def test_an_unknown_tenant_is_not_dropped(monkeypatch) -> None:
    async def missing(slug: str) -> None:
        return None

    async def never(slug: str) -> bool:
        raise AssertionError("nothing to drop")

    monkeypatch.setattr(provisioning, "_mark_dropping", missing)
    monkeypatch.setattr(provisioning, "_drop_tenant_once", never)
    assert await provisioning.drop_tenant("nobody") is False
