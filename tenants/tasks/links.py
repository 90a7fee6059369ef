"""What happens to tasks when the record they link to is deleted or merged.

A deleted record's tasks are kept and unlinked: the work still needs doing, and deleting someone's to-do
because a contact went away would surprise them. A merge moves the tasks to the surviving record, and a
conversion (a lead becoming a contact) to the record it became. Either way
each changed task's version moves on and one audit entry per task is written in the same statement.
"""

from __future__ import annotations

from sampark.platform.db.sql import fetchrow
from sampark.tenants.access.policy import current_principal
from sampark.tenants.records.links import register_convert_hook, register_link_hooks
from sampark.tenants.tasks.tables import Task

_RELINK = """
WITH moved AS (
    UPDATE tasks SET record_type = $3, record_id = $4, version = version + 1, updated_at = now()
    WHERE record_type = $1 AND record_id = $2 RETURNING id
)
INSERT INTO audit_log (action, object_type, object_id, actor_user_id, changes)
SELECT 'update', 'task', id, $5::bigint, jsonb_build_object(
    'record_type', jsonb_build_object('before', $1::text, 'after', nullif($3::text, '')),
    'record_id', jsonb_build_object('before', $2::bigint, 'after', $4::bigint))
FROM moved
"""


def _actor() -> int | None:
    return current_principal().user_id


async def unlink_deleted(record_type: str, record_id: int) -> None:
    await fetchrow(Task, _RELINK, record_type, record_id, "", None, _actor())


async def move_merged(record_type: str, from_id: int, into_id: int) -> None:
    await fetchrow(Task, _RELINK, record_type, from_id, record_type, into_id, _actor())


async def move_converted(from_type: str, from_id: int, to_type: str, to_id: int) -> None:
    await fetchrow(Task, _RELINK, from_type, from_id, to_type, to_id, _actor())


register_link_hooks("tasks", on_delete=unlink_deleted, on_merge=move_merged)
register_convert_hook("tasks", move_converted)
