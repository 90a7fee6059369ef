"""The outbox: rows commit or roll back with the business change, are sent at least once, take effect once."""

from __future__ import annotations

import json

import pytest
from piccolo.engine.exceptions import TransactionError

from sampark.platform.db.engine import get_engine
from sampark.platform.outbox import service as outbox
from sampark.platform.outbox.relay import OutboxRow, message_id_for, relay_outbox
from sampark.platform.tenancy.context import tenant_connection, tenant_context
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.jobs.tables import JobReceipt

ACTOR = "system.record_event"


class Crash(BaseException):
    """The relay process dying between handing a message to the broker and committing (SIGKILL, OOM)."""


async def _create_contact_and_job(tenant, queue: str, event_key: str) -> int:
    """A business change and its outbox row in one tenant transaction; returns the row id."""
    async with tenant_context(slug=tenant.slug):
        await Contact.insert(Contact(first_name="Asha", email="asha@example.org"))
        return await outbox.enqueue(ACTOR, event_key, queue_name=queue, note="contact created")


async def _relay_until_mine_sent(send, row_ids: set[int]) -> None:
    # Rows of other tests may also be unsent; the relay may need more than one batch to reach ours.
    for _ in range(20):
        await relay_outbox(send)
        async with get_engine().transaction() as transaction:
            unsent = await transaction.connection.fetchval(
                "SELECT count(*) FROM public.outbox WHERE id = ANY($1::bigint[]) AND sent_at IS NULL",
                list(row_ids),
            )
        if not unsent:
            return
    raise AssertionError("the relay never sent the test's rows")


async def test_enqueue_writes_a_row_in_the_callers_tenant_transaction(tenant, queue, outbox_rows_of) -> None:
    row_id = await _create_contact_and_job(tenant, queue, "contact-1")

    [row] = await outbox_rows_of(tenant.id)
    assert row["id"] == row_id
    assert (row["actor_name"], row["queue_name"], row["tenant_id"]) == (ACTOR, queue, tenant.id)
    assert json.loads(row["args"]) == ["contact-1"]
    assert json.loads(row["kwargs"]) == {"note": "contact created"}
    assert row["sent_at"] is None and row["attempts"] == 0


async def test_rolled_back_business_transaction_leaves_no_outbox_row(
    tenant, queue, broker, outbox_rows_of
) -> None:
    with pytest.raises(RuntimeError, match="validation failed"):
        async with tenant_context(slug=tenant.slug):
            await Contact.insert(Contact(first_name="Bruno"))
            await outbox.enqueue(ACTOR, "never", queue_name=queue)
            raise RuntimeError("validation failed")

    assert await outbox_rows_of(tenant.id) == []
    seen: list[OutboxRow] = []
    await relay_outbox(seen.append)
    assert [row for row in seen if row.tenant_id == tenant.id] == []
    assert broker.client.hlen(f"{broker.namespace}:{queue}.msgs") == 0


async def test_enqueue_needs_an_open_transaction(database) -> None:
    with pytest.raises(RuntimeError, match="open transaction"):
        await outbox.enqueue(ACTOR, "loose")


async def test_enqueue_refuses_a_bad_queue_name(tenant) -> None:
    async with tenant_context(slug=tenant.slug):
        with pytest.raises(ValueError, match="queue name"):
            await outbox.enqueue(ACTOR, "x", queue_name="no spaces allowed")


async def test_relay_refuses_to_run_inside_a_transaction(tenant) -> None:
    async with tenant_context(slug=tenant.slug):
        with pytest.raises(TransactionError):
            await relay_outbox(lambda row: None)


async def test_failed_send_is_recorded_and_retried_next_run(tenant, queue, outbox_rows_of) -> None:
    row_id = await _create_contact_and_job(tenant, queue, "flaky")

    def broker_down(row: OutboxRow) -> None:
        raise ConnectionError("broker unreachable")

    await relay_outbox(broker_down)
    [row] = await outbox_rows_of(tenant.id)
    assert row["sent_at"] is None and row["attempts"] == 1
    assert row["last_error"] == "ConnectionError: broker unreachable"

    sent: list[OutboxRow] = []
    await _relay_until_mine_sent(sent.append, {row_id})
    [row] = await outbox_rows_of(tenant.id)
    assert row["sent_at"] is not None
    assert [r.id for r in sent if r.tenant_id == tenant.id] == [row_id]


async def test_unknown_actor_stays_unsent(tenant, queue, broker, outbox_rows_of) -> None:
    from sampark.workers.outbox import broker_sender

    async with tenant_context(slug=tenant.slug):
        await outbox.enqueue("nowhere.nothing", queue_name=queue)

    await relay_outbox(broker_sender(broker))
    [row] = await outbox_rows_of(tenant.id)
    assert row["sent_at"] is None and row["attempts"] == 1
    assert row["last_error"].startswith("UnknownActor")
    assert broker.client.hlen(f"{broker.namespace}:{queue}.msgs") == 0


@pytest.mark.parametrize("crash", ["send_raises_after_enqueue", "process_dies_before_commit"])
async def test_relay_crash_resends_and_the_effect_happens_once(
    tenant, queue, broker, start_worker, deliveries, recorded_events, outbox_rows_of, crash
) -> None:
    from sampark.workers.outbox import broker_sender

    row_id = await _create_contact_and_job(tenant, queue, "contact-42-created")
    real_send = broker_sender(broker)
    enqueued: list[str] = []

    def send_then_crash(row: OutboxRow) -> None:
        real_send(row)  # the message reaches Redis ...
        if row.id == row_id:
            enqueued.append(row.message_id)
            # ... and the relay fails before it can mark the row sent.
            raise (
                RuntimeError("relay lost its database") if crash == "send_raises_after_enqueue" else Crash()
            )

    if crash == "send_raises_after_enqueue":
        await relay_outbox(send_then_crash)
    else:
        with pytest.raises(Crash):
            await relay_outbox(send_then_crash)
    [row] = await outbox_rows_of(tenant.id)
    assert row["sent_at"] is None  # so the next run sends it again

    def send(row: OutboxRow) -> None:
        real_send(row)
        if row.id == row_id:
            enqueued.append(row.message_id)

    await _relay_until_mine_sent(send, {row_id})
    await start_worker(queue).drain(queue)

    # Two deliveries of one message id, both processed without error; one audit entry, one receipt.
    assert enqueued == [message_id_for(row_id)] * 2
    assert [exception for message_id, exception in deliveries.processed if message_id == enqueued[0]] == [
        None
    ] * 2
    events = await recorded_events(tenant.slug)
    assert [event["event_key"] for event in events] == ["contact-42-created"]
    async with tenant_context(slug=tenant.slug):
        assert await JobReceipt.count() == 1
        assert await tenant_connection().fetchval("SELECT count(*) FROM contacts") == 1
