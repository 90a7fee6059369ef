"""The real processes: the scheduler module and the Dramatiq command line that ``sampark worker`` runs."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dramatiq

from sampark.platform.db.engine import get_engine
from sampark.platform.embedded.supervisor import worker_command
from sampark.platform.outbox import service as outbox
from sampark.platform.outbox.relay import message_id_for
from sampark.platform.tenancy.context import tenant_context

ROOT = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 60.0


def _spawn(command: list[str], log_path: Path) -> subprocess.Popen[bytes]:
    # The session fixture exported the services' SAMPARK_* URLs into os.environ; children inherit them.
    log = log_path.open("wb")
    return subprocess.Popen(command, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)


async def _stop(process: subprocess.Popen[bytes], log_path: Path) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return await asyncio.to_thread(process.wait, WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError(f"process ignored SIGTERM; see {log_path}") from None


async def _wait_until_sent(row_id: int, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        async with get_engine().transaction() as transaction:
            sent_at = await transaction.connection.fetchval(
                "SELECT sent_at FROM public.outbox WHERE id = $1", row_id
            )
        if sent_at is not None:
            return
        if process.poll() is not None:
            break
        await asyncio.sleep(0.1)
    process.kill()
    raise AssertionError(f"the scheduler did not relay row {row_id}; see {log_path}")


async def test_scheduler_process_relays_the_outbox_and_stops_on_sigterm(
    tenant, queue, broker, outbox_rows_of, tmp_path
) -> None:
    log_path = tmp_path / "scheduler.log"
    scheduler = _spawn([sys.executable, "-m", "sampark.workers.scheduler"], log_path)
    try:
        async with tenant_context(slug=tenant.slug):
            row_id = await outbox.enqueue("system.record_event", "via-scheduler", queue_name=queue)
        await _wait_until_sent(row_id, scheduler, log_path)
    finally:
        code = await _stop(scheduler, log_path)
    assert code == 0, log_path.read_text()

    [data] = broker.client.hvals(f"{broker.namespace}:{queue}.msgs")
    message = dramatiq.Message.decode(data)
    assert message.message_id == message_id_for(row_id)
    assert (message.actor_name, message.args) == ("system.record_event", ("via-scheduler",))
    assert message.options["tenant_id"] == tenant.id
    await outbox_rows_of(tenant.id)  # registers the rows for clean-up


async def test_dramatiq_command_line_runs_actors_in_their_tenant(
    tenant, broker, recorded_events, tmp_path
) -> None:
    from sampark.workers.system import record_event

    broker.flush(record_event.queue_name)  # leftovers of other tests would only slow the join down
    async with tenant_context(slug=tenant.slug):
        record_event.send("via-cli")
    log_path = tmp_path / "worker.log"
    worker = _spawn(worker_command(processes=1, threads=2), log_path)
    try:
        await asyncio.to_thread(broker.join, record_event.queue_name, timeout=int(WAIT_SECONDS * 1000))
    finally:
        code = await _stop(worker, log_path)
    assert code == 0, log_path.read_text()

    events = await recorded_events(tenant.slug)
    assert [(event["event_key"], event["ran_as"]) for event in events] == [("via-cli", tenant.db_role)]
