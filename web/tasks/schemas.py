"""The task API's request and response bodies. Times are RFC 3339; a time without an offset is read on the
caller's wall clock (their time zone preference)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec
from msgspec import UNSET, UnsetType

from sampark.tenants.tasks.schemas import TaskView


class TaskCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: str
    description: str = ""
    # RFC 3339; for an all-day task send all_day and due_date instead.
    due_at: str | None = None
    all_day: bool = False
    due_date: str | None = None
    assignee_id: int | None = None
    # low, normal, high or urgent
    priority: str = "normal"
    # none, at_due, 5m, 15m, 30m, 1h or 1d
    reminder: str = "none"
    record_type: str | None = None
    record_id: int | None = None


class TaskPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; absent fields stay as they are (send due_at, or all_day with due_date, together)."""

    title: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    due_at: str | UnsetType | None = UNSET
    all_day: bool | UnsetType = UNSET
    due_date: str | UnsetType | None = UNSET
    assignee_id: int | UnsetType | None = UNSET
    priority: str | UnsetType = UNSET
    reminder: str | UnsetType = UNSET
    record_type: str | UnsetType | None = UNSET
    record_id: int | UnsetType | None = UNSET


class TaskOut(msgspec.Struct):
    id: int
    title: str
    description: str
    due_at: datetime | None
    all_day: bool
    due_date: date | None
    assignee_id: int | None
    owner_id: int | None
    priority: str
    status: str
    completed_at: datetime | None
    completed_by: int | None
    record_type: str | None
    record_id: int | None
    reminder: str
    remind_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class TaskList(msgspec.Struct):
    items: list[TaskOut]
    next_cursor: str | None


def task_out(view: TaskView) -> TaskOut:
    return TaskOut(
        id=view.id,
        title=view.title,
        description=view.description,
        due_at=view.due_at,
        all_day=view.all_day,
        due_date=view.due_date,
        assignee_id=view.assignee_id,
        owner_id=view.owner_id,
        priority=view.priority,
        status=view.status,
        completed_at=view.completed_at,
        completed_by=view.completed_by,
        record_type=view.record_type or None,
        record_id=view.record_id,
        reminder=view.reminder,
        remind_at=view.remind_at if view.reminder != "none" else None,
        version=view.version,
        created_at=view.created_at,
        updated_at=view.updated_at,
    )
