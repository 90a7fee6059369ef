"""The one scheduler process: runs periodic jobs (the outbox relay first) until SIGINT or SIGTERM.

Run it as ``python -m sampark.workers.scheduler`` with the ``SAMPARK_*`` environment. Each periodic job runs
in its own loop, so a slow job never delays the relay. A periodic job is either a coroutine function, run
here, or a Dramatiq actor, sent to the workers. Run exactly one scheduler per deployment: the relay is safe
to run twice (rows are locked with SKIP LOCKED), other periodic jobs would run twice as often.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import dramatiq
import structlog

from sampark.platform.config.settings import Settings, get_settings
from sampark.platform.database import close_engine, open_engine
from sampark.platform.logging import configure_logging
from sampark.workers.middleware import engine_is_open

log = structlog.get_logger(__name__)

#: How long running jobs may take to finish after a stop signal before they are cancelled.
STOP_GRACE_SECONDS = 30.0


@dataclass(frozen=True)
class PeriodicJob:
    """Run ``target`` every ``interval`` seconds (measured start to start; a late run is not repeated)."""

    name: str
    interval: float
    target: Callable[[], Awaitable[object]] | dramatiq.Actor

    async def run(self) -> None:
        if isinstance(self.target, dramatiq.Actor):
            self.target.send()
        else:
            await self.target()


def periodic_jobs(broker: dramatiq.Broker | None = None) -> list[PeriodicJob]:
    """The registry of periodic jobs. Add an entry here; keep each job a thin call into a service or actor."""
    from sampark.workers.outbox import relay

    async def relay_outbox() -> None:
        await relay(broker)

    async def scan_reminders() -> None:
        from sampark.workers.reminders import scan

        await scan(broker)

    return [
        PeriodicJob("outbox.relay", 1.0, relay_outbox),
        PeriodicJob("reminders.scan", 20.0, scan_reminders),
    ]


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=max(seconds, 0.0))


async def _job_loop(job: PeriodicJob, stop: asyncio.Event) -> None:
    bound = log.bind(job=job.name)
    while not stop.is_set():
        started = time.monotonic()
        try:
            await job.run()
        except Exception:
            # One failed run (database or broker briefly down) must not stop the schedule.
            bound.exception("scheduler.job_failed")
        await _wait(stop, job.interval - (time.monotonic() - started))


async def run_jobs(jobs: Sequence[PeriodicJob], stop: asyncio.Event) -> None:
    """Run ``jobs`` on their intervals until ``stop`` is set, then let running ones finish (with a grace)."""
    tasks = [asyncio.create_task(_job_loop(job, stop), name=f"periodic:{job.name}") for job in jobs]
    try:
        await stop.wait()
        _, pending = await asyncio.wait(tasks, timeout=STOP_GRACE_SECONDS)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    finally:
        for task in tasks:
            task.cancel()


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Open the engine and broker, run the periodic jobs until ``stop`` or a signal, close what it opened."""
    from sampark.workers.broker import setup_broker

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    opened = False
    try:
        if not engine_is_open():
            await open_engine(settings)
            opened = True
        broker = setup_broker(settings)
        # Imported only now, so the actors bind to the broker just built from these settings. The relay
        # refuses rows for actors this release does not declare, so it needs to know them all.
        from sampark.workers.actors import load_actors

        load_actors()
        jobs = periodic_jobs(broker)
        log.info("scheduler.started", jobs=[job.name for job in jobs])
        await run_jobs(jobs, stop)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        if opened:
            await close_engine()
        log.info("scheduler.stopped")


def main() -> int:
    settings = get_settings()
    configure_logging(settings.log_level)
    asyncio.run(serve(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
