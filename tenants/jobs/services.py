"""Idempotency for background jobs: record an effect under a unique key in the effect's own transaction."""

from __future__ import annotations

import hashlib

from sampark.platform.tenancy.context import tenant_connection

KEY_LIMIT = 200  # job_receipts.key is VARCHAR(200)

_CLAIM = "INSERT INTO job_receipts (key) VALUES ($1) ON CONFLICT (key) DO NOTHING"


def receipt_key(key: str) -> str:
    """The stored form of ``key``: itself when it fits the column, else a digest that cannot collide."""
    if not key:
        raise ValueError("job key must not be empty")
    if len(key) <= KEY_LIMIT:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


async def run_once(key: str) -> bool:
    """Claim ``key`` in the current tenant transaction; True the first time, False if it was claimed before.

    Call it in the same transaction as the effect it guards. If that transaction rolls back, so does the
    claim, and a redelivered message tries again; once it commits, every later delivery gets False. A
    concurrent delivery of the same key waits on the row lock and then gets False.

    Build keys from the actor name and its arguments (``"campaigns.send:<campaign>:<contact>"``), not from
    the message id, so two messages that ask for the same effect also run it once.

    Raises:
        RuntimeError: outside a tenant context.
        ValueError: the key is empty.
    """
    status: str = await tenant_connection().execute(_CLAIM, receipt_key(key))
    # asyncpg returns the command tag: "INSERT 0 1" when a row went in, "INSERT 0 0" on conflict.
    return status.endswith(" 1")
