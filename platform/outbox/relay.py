"""Hand committed outbox rows to the broker, at least once.

The relay locks a batch of unsent rows (``FOR UPDATE SKIP LOCKED``, so several relays never send the same row
at once), hands each to ``send`` and marks it sent, all in one transaction. A crash after ``send`` and before
the commit leaves the row unsent and the next run sends it again under the same message id
(:func:`message_id_for`), which is why every consumer must be idempotent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from piccolo.engine.exceptions import TransactionError

from sampark.platform.db.engine import get_engine
from sampark.platform.db.jsonb import jsonb_value
from sampark.platform.db.placements import HOME, all_databases

log = structlog.get_logger(__name__)

# Fixed namespace: the same outbox row always maps to the same message id, in every process and release.
_MESSAGE_NAMESPACE = uuid.UUID("6f1d2b8e-3c55-4b0e-9a7e-5d0c8f3a2e41")
_ERROR_LIMIT = 2000

# Rows that failed before go after fresh ones, so a few undeliverable rows never block the rest.
_SELECT = """
SELECT id, tenant_id, queue_name, actor_name, args, kwargs, attempts, created_at
FROM public.outbox WHERE sent_at IS NULL ORDER BY attempts, id LIMIT $1 FOR UPDATE SKIP LOCKED
"""
_MARK_SENT = "UPDATE public.outbox SET sent_at = now() WHERE id = ANY($1::bigint[])"
_MARK_FAILED = "UPDATE public.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1"


@dataclass(frozen=True)
class OutboxRow:
    """One unsent outbox message as the relay hands it to ``send``."""

    id: int
    tenant_id: int | None
    queue_name: str
    actor_name: str
    args: list[Any]
    kwargs: dict[str, Any]
    attempts: int
    created_at: datetime
    # The database the row was written in: ``home``, or the placement database's name (ids repeat across them).
    database: str = HOME

    @property
    def message_id(self) -> str:
        return message_id_for(self.id, self.database)


def message_id_for(outbox_id: int, database: str = HOME) -> str:
    """The broker message id for an outbox row: deterministic, so a re-sent row is recognisable.

    Each database numbers its own rows, so a placement database's name is part of the key (home keeps the key
    it always had).
    """
    key = f"sampark-outbox:{outbox_id}" if database == HOME else f"sampark-outbox:{database}:{outbox_id}"
    return str(uuid.uuid5(_MESSAGE_NAMESPACE, key))


def _row(record: Any, database: str) -> OutboxRow:
    return OutboxRow(
        database=database,
        id=record["id"],
        tenant_id=record["tenant_id"],
        queue_name=record["queue_name"],
        actor_name=record["actor_name"],
        args=list(jsonb_value(record["args"])),
        kwargs=dict(jsonb_value(record["kwargs"])),
        attempts=record["attempts"],
        created_at=record["created_at"],
    )


async def relay_outbox(send: Callable[[OutboxRow], None], batch: int = 100) -> int:
    """Send up to ``batch`` unsent rows of every database (home and each placement database), oldest first in each;
    return how many were sent.

    Runs in its own transaction per database, as the app role. A row whose ``send`` raises keeps ``sent_at`` empty, gets
    ``attempts`` + 1 and ``last_error``, and is tried again on the next run; the other rows go on.

    Raises:
        TransactionError: called inside an open transaction (a tenant's role cannot read the outbox, and the
            rows must be marked sent in a transaction of their own).
    """
    if get_engine().current_transaction.get() is not None:
        raise TransactionError("relay_outbox runs in transactions of its own")
    total = 0
    for database in all_databases():
        total += await _relay_one(database.name, database.engine, send, batch)
    return total


async def _relay_one(database: str, engine: Any, send: Callable[[OutboxRow], None], batch: int) -> int:
    sent: list[int] = []
    async with engine.transaction(allow_nested=False) as transaction:
        connection = transaction.connection
        for record in await connection.fetch(_SELECT, batch):
            row = _row(record, database)
            try:
                send(row)
            except Exception as error:
                # The broker may be down or the actor unknown to this release: keep the row for the next run.
                reason = f"{type(error).__name__}: {error}"[:_ERROR_LIMIT]
                log.warning(
                    "outbox.send_failed",
                    outbox_id=row.id,
                    database=database,
                    actor=row.actor_name,
                    error=reason,
                )
                await connection.execute(_MARK_FAILED, row.id, reason)
            else:
                sent.append(row.id)
        if sent:
            await connection.execute(_MARK_SENT, sent)
    if sent:
        log.debug("outbox.relayed", count=len(sent), database=database)
    return len(sent)
