"""A real Redis broker, per-test queues, and an in-process Dramatiq worker for the worker tests.

Actor modules are imported inside fixtures, after the session's services exist: importing one installs the
broker, and it must be built from the test Redis, never from whatever the environment held at collection.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import dramatiq
import dramatiq.middleware.asyncio as dramatiq_asyncio
import pytest
from dramatiq.asyncio import EventLoopThread
from dramatiq.middleware import Middleware

from sampark.platform.config.settings import Settings
from sampark.platform.db.engine import get_engine
from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.audit.tables import AuditEntry

JOIN_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def broker(settings: Settings) -> dramatiq.Broker:
    from sampark.workers.actors import load_actors
    from sampark.workers.broker import setup_broker

    setup_broker(settings)
    return load_actors()


@pytest.fixture
def queue(broker: dramatiq.Broker) -> Iterator[str]:
    """A queue of this test's own, declared on the broker and flushed afterwards."""
    name = f"test-{secrets.token_hex(4)}"
    broker.declare_queue(name)
    yield name
    broker.flush(name)


class Deliveries(Middleware):
    """Records every processed message (id and exception), from the worker threads."""

    def __init__(self) -> None:
        self.processed: list[tuple[str, BaseException | None]] = []
        self._lock = threading.Lock()

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: Any,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        with self._lock:
            self.processed.append((message.message_id, exception))


@pytest.fixture
def deliveries(broker: dramatiq.Broker) -> Iterator[Deliveries]:
    recorder = Deliveries()
    broker.add_middleware(recorder)
    yield recorder
    broker.middleware.remove(recorder)


class InProcessWorker:
    """A real ``dramatiq.Worker`` on the real broker, whose async actors run on the test's event loop.

    The engine's asyncpg pool belongs to the pytest event loop, so the AsyncIO middleware is pointed at that
    loop instead of a fresh one. Everything else (consumers, worker threads, middleware, acks, retries) is
    Dramatiq's own. The test must never block the loop while messages run: wait with :meth:`drain`.
    """

    def __init__(self, broker: dramatiq.Broker, queues: set[str]) -> None:
        self.broker = broker
        self.worker = dramatiq.Worker(broker, queues=queues, worker_threads=2, worker_timeout=100)

    async def drain(self, queue: str) -> None:
        """Wait until every message of ``queue`` (including retries waiting on its delay queue) is acked."""
        await asyncio.to_thread(self.broker.join, queue, timeout=JOIN_TIMEOUT_MS)
        await asyncio.to_thread(self.worker.join)


def _loop_thread_class(loop: asyncio.AbstractEventLoop) -> type[EventLoopThread]:
    class RunningLoop(EventLoopThread):
        def __init__(self, logger: Any, interrupt_check_ival: float = 0.1) -> None:
            threading.Thread.__init__(self, daemon=True)  # never started: the loop already runs
            self.logger = logger
            self.interrupt_check_ival = interrupt_check_ival
            self.loop = loop

        def start(self, *, timeout: float | None = None) -> None:
            pass

        def stop(self) -> None:
            pass

        def join(self, timeout: float | None = None) -> None:
            pass

    return RunningLoop


@pytest.fixture
async def start_worker(
    broker: dramatiq.Broker, database: Settings, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Any]:
    """Start in-process workers on given queues; they are stopped (and unhooked) after the test."""
    get_engine()  # the session's engine is open on this loop
    monkeypatch.setattr(dramatiq_asyncio, "EventLoopThread", _loop_thread_class(asyncio.get_running_loop()))
    started: list[InProcessWorker] = []

    def start(*queues: str) -> InProcessWorker:
        worker = InProcessWorker(broker, set(queues))
        worker.worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        await asyncio.to_thread(worker.worker.stop, 10_000)
        # Worker.start() leaves a middleware on the broker that adds consumers for newly declared queues;
        # a stopped worker's must go, or it would start consumers nobody stops.
        broker.middleware[:] = [
            m for m in broker.middleware if getattr(m, "worker", None) is not worker.worker
        ]


@pytest.fixture
async def outbox_rows_of(database: Settings) -> AsyncIterator[Any]:
    """Read the outbox rows of tenants (as the app role); rows of the tenants read are deleted afterwards."""
    seen: set[int] = set()

    async def read(tenant_id: int) -> list[Any]:
        seen.add(tenant_id)
        async with get_engine().transaction() as transaction:
            return list(
                await transaction.connection.fetch(
                    "SELECT * FROM public.outbox WHERE tenant_id = $1 ORDER BY id", tenant_id
                )
            )

    yield read
    if seen:
        async with get_engine().transaction() as transaction:
            await transaction.connection.execute(
                "DELETE FROM public.outbox WHERE tenant_id = ANY($1)", list(seen)
            )


@pytest.fixture
def recorded_events(database: Settings) -> Any:
    """Read the ``changes`` of every ``system.record_event`` audit entry of a tenant."""

    async def read(slug: str) -> list[dict[str, Any]]:
        async with tenant_context(slug=slug):
            query = AuditEntry.select(AuditEntry.changes).where(AuditEntry.action == "job.event")
            return [row["changes"] for row in await query.output(load_json=True)]

    return read
