"""The reminder queue: one row per task with a pending reminder, in every tenant, in ``public``."""

from piccolo.columns import BigInt, BigSerial, Timestamptz
from piccolo.table import Table


class ReminderQueueEntry(Table, schema="public", tablename="reminder_queue"):
    """When to remind about ``task_id`` of tenant ``tenant_id``; written with the task change (tenant role,
    row-level security) and consumed by the scheduler's scan (app role)."""

    id = BigSerial(primary_key=True)
    tenant_id = BigInt()
    task_id = BigInt()
    remind_at = Timestamptz(index=True)
    created_at = Timestamptz()
