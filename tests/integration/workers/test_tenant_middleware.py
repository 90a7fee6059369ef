"""The tenant middleware: stamped on enqueue, opened around the actor, dropped when the tenant is gone."""

from __future__ import annotations

from typing import Any

import dramatiq
import pytest
import structlog

from sampark.platform.tenancy.context import tenant_context
from sampark.platform.tenancy.provisioning import drop_tenant, set_status
from sampark.platform.tenancy.tables import TenantStatus


def _record_event() -> dramatiq.Actor:
    from sampark.workers.system import record_event

    return record_event


def _stored(broker: Any, message: dramatiq.Message) -> dramatiq.Message:
    """The message as Redis holds it, decoded."""
    data = broker.client.hget(
        f"{broker.namespace}:{message.queue_name}.msgs", message.options["redis_message_id"]
    )
    return dramatiq.Message.decode(data)


async def test_enqueue_stamps_the_current_tenant(broker, queue, tenant) -> None:
    record_event = _record_event()
    async with tenant_context(slug=tenant.slug):
        inside = broker.enqueue(record_event.message("stamp").copy(queue_name=queue))
    outside = broker.enqueue(record_event.message("no-stamp").copy(queue_name=queue))

    assert _stored(broker, inside).options["tenant_id"] == tenant.id
    assert "tenant_id" not in _stored(broker, outside).options


async def test_actor_runs_inside_the_messages_tenant(
    broker, queue, make_tenant, start_worker, recorded_events
) -> None:
    record_event = _record_event()
    a, b = await make_tenant(), await make_tenant()
    for tenant in (a, b):
        async with tenant_context(slug=tenant.slug):
            broker.enqueue(record_event.message(f"hello-{tenant.slug}").copy(queue_name=queue))

    await start_worker(queue).drain(queue)

    for tenant in (a, b):
        events = await recorded_events(tenant.slug)
        assert len(events) == 1
        changes = events[0]
        assert changes["event_key"] == f"hello-{tenant.slug}"
        assert changes["ran_as"] == tenant.db_role  # the tenant's role, not the app's


@pytest.mark.parametrize("gone", ["suspended", "dropped"])
async def test_message_for_an_inactive_tenant_is_dropped_not_retried(
    broker, queue, tenant, start_worker, deliveries, recorded_events, gone
) -> None:
    record_event = _record_event()
    async with tenant_context(slug=tenant.slug):
        message = broker.enqueue(record_event.message("too-late").copy(queue_name=queue))
    if gone == "suspended":
        await set_status(tenant.slug, TenantStatus.SUSPENDED)
    else:
        await drop_tenant(tenant.slug)

    with structlog.testing.capture_logs() as logs:
        await start_worker(queue).drain(queue)  # a retried message would sit on the delay queue: join waits

    assert deliveries.processed == [(message.message_id, None)]
    assert broker.client.zcard(f"{broker.namespace}:{queue}.XQ") == 0  # not dead-lettered either
    dropped = [entry for entry in logs if entry["event"] == "job.dropped"]
    assert dropped and dropped[0]["tenant_id"] == tenant.id and dropped[0]["reason"] == "tenant_inactive"
    if gone == "suspended":
        await set_status(tenant.slug, TenantStatus.ACTIVE)
        assert await recorded_events(tenant.slug) == []


async def test_tenant_actor_without_a_tenant_is_dropped(broker, queue, start_worker, deliveries) -> None:
    record_event = _record_event()
    message = broker.enqueue(record_event.message("nobody").copy(queue_name=queue))

    with structlog.testing.capture_logs() as logs:
        await start_worker(queue).drain(queue)

    assert deliveries.processed == [(message.message_id, None)]
    assert [entry["reason"] for entry in logs if entry["event"] == "job.dropped"] == ["no_tenant"]
