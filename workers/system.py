"""System actors that every deployment has: the audit "ping" operators use to check the job path."""

from __future__ import annotations

import structlog

from sampark.platform.tenancy.context import tenant_connection
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.jobs.services import run_once
from sampark.workers.broker import actor
from sampark.workers.middleware import current_job

log = structlog.get_logger(__name__)

#: The audit action a recorded event is written under.
EVENT_ACTION = "job.event"
NOTE_LIMIT = 500


@actor(actor_name="system.record_event")
async def record_event(event_key: str, note: str = "") -> None:
    """Append one audit entry for ``event_key`` in the message's tenant, at most once per key.

    Operators enqueue it (through the outbox, from a tenant context) to prove the whole path works for a
    tenant: outbox row, relay, broker, worker, tenant transaction. The entry records which database role
    ran it and the message id, so a wrong tenant or a stale worker shows up at once. Redelivery of the same
    key does nothing.
    """
    if not await run_once(f"system.record_event:{event_key}"):
        log.info("job.duplicate", actor="system.record_event", event_key=event_key)
        return
    ran_as = await tenant_connection().fetchval("SELECT current_user")
    job = current_job()
    await AuditEntry.insert(
        AuditEntry(
            action=EVENT_ACTION,
            object_type="system",
            changes={
                "event_key": event_key,
                "note": note[:NOTE_LIMIT],
                "ran_as": ran_as,
                "message_id": job.message_id if job else None,
            },
        )
    )
