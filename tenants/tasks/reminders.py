"""The task side of the reminder queue: keep ``public.reminder_queue`` in step with a task, in its transaction.

Each tenant writes only its own rows (row-level security, platform step v0005); the scheduler's scan
(``sampark.platform.reminders.queue``) reads every tenant's due rows with one indexed query.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sampark.platform.tenancy.context import current_tenant, tenant_connection

_UPSERT = """
INSERT INTO public.reminder_queue (tenant_id, task_id, remind_at) VALUES ($1, $2, $3)
ON CONFLICT (tenant_id, task_id) DO UPDATE SET remind_at = excluded.remind_at, created_at = now()
"""
_DELETE = "DELETE FROM public.reminder_queue WHERE tenant_id = $1 AND task_id = $2"


async def schedule(task_id: int, remind_at: datetime | None, *, is_open: bool) -> bool:
    """Queue the task's reminder, or drop it when the task is done, has none, or its time has passed.

    Returns whether a reminder is now queued. A reminder whose time is already past when the task is saved
    is not sent (it would arrive as a surprise for something already late).
    """
    tenant = current_tenant().id
    connection = tenant_connection()
    if is_open and remind_at is not None and remind_at > datetime.now(UTC):
        await connection.execute(_UPSERT, tenant, task_id, remind_at)
        return True
    await connection.execute(_DELETE, tenant, task_id)
    return False
