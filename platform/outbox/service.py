"""Write outbox rows: work for the workers, committed (or rolled back) with the change that causes it."""

from __future__ import annotations

import json
import re
from typing import Any

from sampark.platform.db.engine import get_engine
from sampark.platform.tenancy.context import current_tenant_or_none

# Same rule as Dramatiq's queue names, so a row can never name a queue the broker refuses.
_QUEUE_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9._-]*")
_NAME_LIMIT = 100  # both columns are VARCHAR(100)

# The tenant role may INSERT into public.outbox and use its sequence, but not read it, so INSERT ... RETURNING
# is refused. Taking the id from the sequence in a CTE returns it in the same round trip without a SELECT on
# the table; a CTE that calls a volatile function is evaluated once.
_INSERT = """
WITH next AS (SELECT nextval('public.outbox_id_seq') AS id),
inserted AS (
    INSERT INTO public.outbox (id, tenant_id, queue_name, actor_name, args, kwargs)
    SELECT id, $1, $2, $3, $4::jsonb, $5::jsonb FROM next
)
SELECT id FROM next
"""


async def enqueue(actor_name: str, *args: Any, queue_name: str = "default", **kwargs: Any) -> int:
    """Record a message for ``actor_name`` in the caller's open transaction and return the outbox row id.

    The row becomes visible to the relay only when that transaction commits, and disappears with it on a
    rollback, so work is never sent for a change that did not happen. Inside ``tenant_context`` the row is
    stamped with the tenant's id and the actor later runs inside that tenant. This never talks to the broker.

    Args:
        actor_name: the Dramatiq actor's name, e.g. ``"system.record_event"``.
        *args: JSON-serialisable positional arguments (pass ids, not objects).
        queue_name: the queue the message goes to; the actor's own queue unless you know better.
        **kwargs: JSON-serialisable keyword arguments.

    Raises:
        RuntimeError: no transaction is open (an outbox row outside one would not be atomic with anything).
        ValueError: a name is empty, too long or malformed.
        TypeError: an argument is not JSON-serialisable.
    """
    if not actor_name or len(actor_name) > _NAME_LIMIT:
        raise ValueError(f"actor name must be 1 to {_NAME_LIMIT} characters: {actor_name!r}")
    if len(queue_name) > _NAME_LIMIT or not _QUEUE_NAME.fullmatch(queue_name):
        raise ValueError(f"invalid queue name: {queue_name!r}")
    transaction = get_engine().current_transaction.get()
    if transaction is None:
        raise RuntimeError(
            "outbox.enqueue needs the caller's open transaction (tenant_context or engine.transaction)"
        )
    tenant = current_tenant_or_none()
    row_id: int = await transaction.connection.fetchval(
        _INSERT,
        tenant.id if tenant is not None else None,
        queue_name,
        actor_name,
        json.dumps(list(args)),
        json.dumps(kwargs),
    )
    return row_id
