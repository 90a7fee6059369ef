"""Fixtures for the account tests: clients from their own addresses, anonymous clients, the mail worker."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import dramatiq
import pytest
from httpx import ASGITransport, AsyncClient
from litestar import Litestar

from sampark.platform.config.settings import Settings
from sampark.platform.embedded.mailsink import StoredMessage, read_messages
from sampark.platform.identity.reset import MAIL_ACTOR
from sampark.platform.outbox.relay import OutboxRow, relay_outbox
from tests.integration.workers.conftest import broker, start_worker  # noqa: F401  (fixtures)


@pytest.fixture
async def new_client(app: Litestar) -> AsyncIterator[Any]:
    """Open more clients (browsers), each from an address of its own so rate limits never mix tests."""
    opened: list[AsyncClient] = []

    def make(user_agent: str = "pytest-browser") -> AsyncClient:
        address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
        transport = ASGITransport(app=app, client=(address, 4321))  # type: ignore[arg-type]
        client = AsyncClient(
            transport=transport, base_url="http://testserver", headers={"user-agent": user_agent}
        )
        opened.append(client)
        return client

    yield make
    for client in opened:
        await client.aclose()


@pytest.fixture
def mails(settings: Settings) -> Callable[[str], list[StoredMessage]]:
    """The messages the SMTP sink received for one address."""
    directory = settings.mail_sink_dir
    assert isinstance(directory, Path), "the tests' mail sink is not running"

    def read(address: str) -> list[StoredMessage]:
        messages, _total = read_messages(directory, limit=10_000)
        return [message for message in messages if address in message.recipients]

    return read


@pytest.fixture
async def deliver_reset_mails(broker: dramatiq.Broker, start_worker: Any) -> AsyncIterator[Any]:  # noqa: F811
    """Relay committed reset-mail outbox rows to a queue of this test's own and run a real worker on it.

    Only rows of the reset actor are sent here; other tests' rows stay in the outbox for their own relay.
    """
    # Imported here, after the session's services exist: importing a worker module installs the broker.
    import sampark.workers.account_mail  # noqa: F401  (declares the actor on the test broker)
    from sampark.workers.outbox import outbox_message

    queue = f"test-mail-{secrets.token_hex(4)}"
    broker.declare_queue(queue)
    worker = start_worker(queue)

    class NotMine(Exception):
        pass

    def send(row: OutboxRow) -> None:
        if row.actor_name != MAIL_ACTOR:
            raise NotMine(row.actor_name)
        message = outbox_message(row)
        broker.enqueue(message.copy(queue_name=queue))

    async def run() -> None:
        # Other tests' unsent rows may fill the first batch; they sort after ours once they failed here.
        for _ in range(3):
            await relay_outbox(send)
        await worker.drain(queue)

    async def redeliver(reset_id: int) -> None:
        """The same message again, as after a worker crash: the broker delivers at least once."""
        broker.enqueue(
            dramatiq.Message(queue_name=queue, actor_name=MAIL_ACTOR, args=(reset_id,), kwargs={}, options={})
        )
        await worker.drain(queue)

    run.redeliver = redeliver  # type: ignore[attr-defined]
    yield run
    broker.flush(queue)
