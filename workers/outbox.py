"""The broker side of the outbox: turn committed rows into Dramatiq messages and enqueue them."""

from __future__ import annotations

from collections.abc import Callable

import dramatiq

from sampark.platform.outbox.relay import OutboxRow, relay_outbox
from sampark.workers.broker import get_broker
from sampark.workers.middleware import TENANT_OPTION

#: Message option naming the outbox row a message came from (for logs and dead-letter triage).
OUTBOX_OPTION = "outbox_id"


class UnknownActor(LookupError):
    """An outbox row names an actor this release does not declare; the row waits for a release that does."""


def outbox_message(row: OutboxRow) -> dramatiq.Message[object]:
    """The Dramatiq message for ``row``: its id derives from the row id, its options carry the tenant."""
    return dramatiq.Message(
        queue_name=row.queue_name,
        actor_name=row.actor_name,
        args=tuple(row.args),
        kwargs=row.kwargs,
        # Set even when None, so the tenant middleware never stamps the relay's own (absent) tenant.
        options={TENANT_OPTION: row.tenant_id, OUTBOX_OPTION: row.id},
        message_id=row.message_id,
    )


def broker_sender(broker: dramatiq.Broker | None = None) -> Callable[[OutboxRow], None]:
    """A ``send`` for :func:`relay_outbox` that enqueues each row on ``broker`` (the process broker)."""
    target = broker or get_broker()

    def send(row: OutboxRow) -> None:
        if row.actor_name not in target.actors:
            raise UnknownActor(f"no actor named {row.actor_name!r} is declared")
        target.declare_queue(row.queue_name)
        target.enqueue(outbox_message(row))

    return send


async def relay(broker: dramatiq.Broker | None = None, batch: int = 100) -> int:
    """Relay batches of committed outbox rows until none are left or a batch fails; return how many were sent.

    Runs on an event loop that has the database engine open (the scheduler). Enqueueing blocks briefly on
    the broker; the scheduler has nothing else to do meanwhile.
    """
    send = broker_sender(broker)
    total = 0
    while True:
        sent = await relay_outbox(send, batch=batch)
        total += sent
        if sent < batch:
            return total
