"""The task form: posted fields <-> service data, due times on the reader's wall clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sampark.platform.i18n.formatting import in_time_zone
from sampark.tenants.tasks.schemas import TaskView


@dataclass
class TaskForm:
    title: str = ""
    description: str = ""
    due_date: str = ""
    due_time: str = ""
    all_day: bool = False
    assignee_id: str = ""
    priority: str = "normal"
    reminder: str = "none"
    record_type: str = ""
    record_id: str = ""
    version: int | None = None

    @classmethod
    def from_view(cls, view: TaskView) -> TaskForm:
        day, at = "", ""
        if view.all_day and view.due_date is not None:
            day = view.due_date.isoformat()
        elif view.due_at is not None:
            local = in_time_zone(view.due_at)
            day, at = local.date().isoformat(), local.strftime("%H:%M")
        return cls(
            title=view.title,
            description=view.description,
            due_date=day,
            due_time=at,
            all_day=view.all_day,
            assignee_id=str(view.assignee_id or ""),
            priority=view.priority,
            reminder=view.reminder,
            record_type=view.record_type,
            record_id=str(view.record_id or ""),
            version=view.version,
        )

    @classmethod
    def from_post(cls, form: Any) -> TaskForm:
        def text(name: str) -> str:
            return str(form.get(name) or "")

        version = text("version")
        return cls(
            title=text("title"),
            description=text("description"),
            due_date=text("due_date"),
            due_time=text("due_time"),
            all_day=text("all_day") == "1",
            assignee_id=text("assignee_id"),
            priority=text("priority") or "normal",
            reminder=text("reminder") or "none",
            record_type=text("record_type"),
            record_id=text("record_id"),
            version=int(version) if version.isdigit() else (-1 if version else None),
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description,
            "due_date": self.due_date,
            "due_time": self.due_time,
            "all_day": self.all_day,
            "assignee_id": self.assignee_id,
            "priority": self.priority,
            "reminder": self.reminder,
            "record_type": self.record_type,
            "record_id": self.record_id,
        }
