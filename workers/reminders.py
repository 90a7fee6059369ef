"""Task reminders: the scheduler's scan of the platform reminder queue, and the actor that delivers one."""

from __future__ import annotations

import uuid
from datetime import datetime

import dramatiq
import structlog

from sampark.platform.config.settings import get_settings
from sampark.platform.reminders.queue import DueReminder, take_due
from sampark.tenants.access.policy import Principal, acting_as
from sampark.tenants.tasks.delivery import deliver_reminder
from sampark.workers.broker import actor, get_broker
from sampark.workers.middleware import TENANT_OPTION

log = structlog.get_logger(__name__)

QUEUE = "reminders"
ACTOR = "reminders.deliver"
_NAMESPACE = uuid.UUID("0d6f3c1e-7a4b-4f55-9a51-1c2b8e9d4f60")


@actor(actor_name=ACTOR, queue_name=QUEUE, max_retries=10)
async def deliver(task_id: int, remind_at: str) -> None:
    """Deliver one reminder in its tenant (idempotent per task and reminder time; SMTP errors retry)."""
    with acting_as(Principal.system()):
        sent = await deliver_reminder(get_settings(), task_id, remind_at)
    log.info("reminders.delivered", task_id=task_id, sent=sent)


def reminder_message(due: DueReminder, queue_name: str = QUEUE) -> dramatiq.Message[object]:
    """The message for a due reminder; its id derives from (tenant, task, time), so a re-sent one matches."""
    remind_at = due.remind_at.isoformat()
    return dramatiq.Message(
        queue_name=queue_name,
        actor_name=ACTOR,
        args=(due.task_id, remind_at),
        kwargs={},
        options={TENANT_OPTION: due.tenant_id},
        message_id=str(uuid.uuid5(_NAMESPACE, f"{due.tenant_id}:{due.task_id}:{remind_at}")),
    )


async def scan(
    broker: dramatiq.Broker | None = None, *, queue_name: str = QUEUE, now: datetime | None = None
) -> int:
    """Enqueue every due reminder of every tenant (one indexed query); the scheduler runs this periodically."""
    target = broker or get_broker()
    target.declare_queue(queue_name)

    def send(due: DueReminder) -> None:
        target.enqueue(reminder_message(due, queue_name))

    return await take_due(send, now=now)
