"""Take due reminders off the queue, for every tenant at once, at least once.

One indexed range scan on ``remind_at`` finds the due rows of all tenants; they are locked with
``SKIP LOCKED`` (two schedulers never take the same row), each is handed to ``send`` and the sent ones are
deleted, in one transaction. A crash after ``send`` and before the commit sends the row again on the next
scan, which is why the delivering actor is idempotent per (task, remind_at).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from piccolo.engine.exceptions import TransactionError
from piccolo.engine.postgres import PostgresEngine

from sampark.platform.db.engine import get_engine
from sampark.platform.db.placements import all_databases

log = structlog.get_logger(__name__)

_DUE = """
SELECT id, tenant_id, task_id, remind_at FROM public.reminder_queue
WHERE remind_at <= $1 ORDER BY remind_at LIMIT $2 FOR UPDATE SKIP LOCKED
"""
_DELETE = "DELETE FROM public.reminder_queue WHERE id = ANY($1::bigint[])"


@dataclass(frozen=True)
class DueReminder:
    id: int
    tenant_id: int
    task_id: int
    remind_at: datetime


async def take_due(
    send: Callable[[DueReminder], None], *, now: datetime | None = None, batch: int = 500
) -> int:
    """Hand every reminder due by ``now`` (up to ``batch`` per database) to ``send``; return how many were sent.

    Every database that holds tenants has its own queue (docs/regions.md); each is scanned in a transaction of
    its own. A row whose ``send`` raises stays queued for the next scan; the others go on.
    """
    if get_engine().current_transaction.get() is not None:
        raise TransactionError("take_due runs in transactions of its own")
    total = 0
    for database in all_databases():
        total += await _take_due(database.engine, send, now, batch)
    return total


async def _take_due(
    engine: PostgresEngine, send: Callable[[DueReminder], None], now: datetime | None, batch: int
) -> int:
    sent: list[int] = []
    async with engine.transaction(allow_nested=False) as transaction:
        connection = transaction.connection
        for record in await connection.fetch(_DUE, now or datetime.now(UTC), batch):
            due = DueReminder(**dict(record))
            try:
                send(due)
            except Exception:  # the broker may be briefly down: keep the row
                log.exception("reminders.send_failed", tenant_id=due.tenant_id, task_id=due.task_id)
            else:
                sent.append(due.id)
        if sent:
            await connection.execute(_DELETE, sent)
    return len(sent)
