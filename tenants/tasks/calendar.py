"""Tasks as a calendar source: each task of the user due in the window, on its due time or its day."""

from __future__ import annotations

from datetime import datetime

from sampark.platform.i18n import gettext as _
from sampark.tenants.calendar.registry import CalendarEntry, register_calendar_source
from sampark.tenants.tasks.queries import tasks_between
from sampark.tenants.tasks.schemas import TaskView


def task_entry(task: TaskView) -> CalendarEntry:
    return CalendarEntry(
        uid=f"task-{task.id}",
        source="tasks",
        title=task.title,
        start=None if task.all_day else task.due_at,
        day=task.due_date if task.all_day else None,
        path=f"/tasks/{task.id}",
        kind=_("Task"),
        done=not task.is_open,
        updated_at=task.updated_at,
        description=task.description,
        priority=task.priority,
    )


async def task_entries(start: datetime, end: datetime, user_id: int) -> list[CalendarEntry]:
    return [task_entry(task) for task in await tasks_between(start, end, user_id)]


register_calendar_source("tasks", task_entries)
