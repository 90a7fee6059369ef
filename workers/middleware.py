"""Dramatiq middleware: the tenant of each message, and the database engine of each worker process.

Actors are ``async def`` and run on the event loop thread of Dramatiq's ``AsyncIO`` middleware, while the
middleware hooks run on the worker thread that owns the message. Dramatiq hands the coroutine to the loop
with ``run_coroutine_threadsafe``, which copies the worker thread's ``contextvars`` into the new task, so a
value set in ``before_process_message`` is visible to the actor body (``CurrentMessage`` works that way for
async actors too). The tenant transaction itself must be opened *inside* the coroutine, since asyncpg and
Piccolo's transaction context belong to the loop: :func:`tenant_scoped` does that around every Sampark actor.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import dramatiq
import structlog
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware

from sampark.platform.config.settings import Settings
from sampark.platform.database import close_engine, open_engine
from sampark.platform.db.engine import get_engine
from sampark.platform.tenancy.context import TenantNotFound, current_tenant_or_none, tenant_context

log = structlog.get_logger(__name__)

#: The message option that carries the tenant id.
TENANT_OPTION = "tenant_id"

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Job:
    """The message being processed, as the actor body sees it."""

    message_id: str
    actor_name: str
    tenant_id: int | None


_current_job: ContextVar[Job | None] = ContextVar("sampark_current_job", default=None)


def current_job() -> Job | None:
    """The message the current actor runs for; None outside a worker."""
    return _current_job.get()


class TenantMiddleware(Middleware):
    """Stamps the current tenant on every message and hands it to the actor that processes it."""

    def before_enqueue(self, broker: dramatiq.Broker, message: dramatiq.Message, delay: int | None) -> None:
        # An explicit option wins: the outbox relay sets it from the row (possibly None for platform work),
        # and a retry re-enqueues from a worker thread that has no tenant context of its own.
        if TENANT_OPTION in message.options:
            return
        tenant = current_tenant_or_none()
        if tenant is not None:
            message.options[TENANT_OPTION] = tenant.id

    def before_process_message(self, broker: dramatiq.Broker, message: Any) -> None:
        tenant_id = message.options.get(TENANT_OPTION)
        _current_job.set(Job(message.message_id, message.actor_name, tenant_id))

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: Any,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        _current_job.set(None)

    def after_skip_message(self, broker: dramatiq.Broker, message: Any) -> None:
        _current_job.set(None)


class DatabaseMiddleware(Middleware):
    """Opens the database engine on the worker's event loop at boot and closes it at shutdown.

    asyncpg pools are bound to one event loop, so the engine must be opened on the loop that runs the actors.
    If the database is down at boot, the next message tries again instead of the worker staying broken.
    When the engine is already open in this process (an in-process worker in tests), it is left alone.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._opened = False
        self._lock = threading.Lock()

    def _ensure_open(self) -> None:
        with self._lock:
            if self._opened or engine_is_open():
                return
            loop_thread = get_event_loop_thread()
            if loop_thread is None:
                raise RuntimeError("the AsyncIO middleware must come before DatabaseMiddleware")
            loop_thread.run_coroutine(open_engine(self.settings))
            self._opened = True
            log.info("worker.database_opened")

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        try:
            self._ensure_open()
        except Exception:
            # Dramatiq would log and swallow this; say plainly why the first jobs are about to fail.
            log.exception("worker.database_unavailable")

    def before_process_message(self, broker: dramatiq.Broker, message: Any) -> None:
        if not self._opened:
            self._ensure_open()

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        # Runs before AsyncIO's own after_worker_shutdown (hooks run in reverse order), so the loop is alive.
        loop_thread = get_event_loop_thread()
        with self._lock:
            if self._opened and loop_thread is not None:
                loop_thread.run_coroutine(close_engine())
                self._opened = False


def engine_is_open() -> bool:
    try:
        get_engine()
    except RuntimeError:
        return False
    return True


def tenant_scoped(
    fn: Callable[P, Awaitable[R]], *, actor_name: str, tenant: bool = True
) -> Callable[P, Awaitable[R | None]]:
    """Wrap an actor body so it runs inside the tenant context of the message it processes.

    Args:
        fn: the actor's coroutine function.
        actor_name: used in log lines.
        tenant: True for tenant work. A message without a tenant, or for a tenant that no longer exists or is
            suspended, is then dropped with a log line (acknowledged, not retried: it can never succeed).
            False for platform work, which runs outside any tenant whatever the message carries.
    """

    @functools.wraps(fn)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        job = _current_job.get()
        if not tenant:
            return await fn(*args, **kwargs)
        if job is None or job.tenant_id is None:
            # Called directly (a shell, a test) inside an open tenant context: just run there.
            if current_tenant_or_none() is not None:
                return await fn(*args, **kwargs)
            log.error("job.dropped", reason="no_tenant", actor=actor_name, message_id=job and job.message_id)
            return None
        async with AsyncExitStack() as stack:
            try:
                await stack.enter_async_context(tenant_context(tenant_id=job.tenant_id))
            except TenantNotFound:
                log.warning(
                    "job.dropped",
                    reason="tenant_inactive",
                    actor=actor_name,
                    tenant_id=job.tenant_id,
                    message_id=job.message_id,
                )
                return None
            return await fn(*args, **kwargs)

    return run
