"""What task services return and raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict

__all__ = ["TaskError", "TaskNotFound", "TaskPage", "TaskView", "VersionConflict", "task_from_row"]


@dataclass(frozen=True)
class TaskView:
    """A task as a principal may see it. ``record_label`` is None when it links nothing, or a record the
    principal may not see."""

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
    record_type: str
    record_id: int | None
    reminder: str
    remind_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    record_label: str | None = None
    record_path: str | None = None

    @property
    def display_name(self) -> str:
        return self.title

    @property
    def name(self) -> str:
        return self.title

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    @property
    def is_open(self) -> bool:
        return self.status == "open"


COLUMNS = (
    "t.id, t.title, t.description, t.due_at, t.all_day, t.due_date, t.assignee_id, t.owner_id, t.priority,"
    " t.status, t.completed_at, t.completed_by, t.record_type, t.record_id, t.reminder, t.remind_at, t.version,"
    " t.created_at, t.updated_at"
)


def task_from_row(row: Mapping[str, Any], label: tuple[str, str] | None = None) -> TaskView:
    return TaskView(
        **{name.split(".")[1]: row[name.split(".")[1]] for name in COLUMNS.replace(" ", "").split(",")},
        record_label=label[0] if label else None,
        record_path=label[1] if label else None,
    )


@dataclass(frozen=True)
class TaskPage:
    items: list[TaskView]
    next_cursor: str | None
    sort: str = "due"


class TaskError(FieldErrors):
    """Invalid task input; ``errors`` maps field names to translated messages."""


class TaskNotFound(RecordNotFound):
    """No such task, or the principal may not see it (callers answer 404)."""
