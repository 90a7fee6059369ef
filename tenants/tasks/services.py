"""Task rules: checked, versioned and audited writes; assignees; completion; reminders kept queued.

Reads are in ``queries`` (re-exported here). Due times arrive on the acting user's wall clock
(``current_preferences().time_zone``) and are stored in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sampark.platform.db.sql import fetchrow
from sampark.platform.i18n import current_preferences
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, Principal, current_principal, require
from sampark.tenants.access.services import Transferable, register_transferable
from sampark.tenants.audit.services import record_change
from sampark.tenants.records.links import resolve_writable_link
from sampark.tenants.records.owners import check_owner
from sampark.tenants.search.listing import Sql
from sampark.tenants.tasks import calendar as _calendar  # noqa: F401  (registers the calendar source)
from sampark.tenants.tasks import links as _links  # noqa: F401  (registers the delete and merge hooks)
from sampark.tenants.tasks.fields import WRITABLE, clean_task, remind_at
from sampark.tenants.tasks.queries import MAX_PAGE_SIZE, OBJECT, get_task, list_tasks, tasks_between
from sampark.tenants.tasks.reminders import schedule
from sampark.tenants.tasks.schemas import (
    COLUMNS,
    TaskError,
    TaskNotFound,
    TaskPage,
    TaskView,
    VersionConflict,
)
from sampark.tenants.tasks.tables import Task

__all__ = [
    "MAX_PAGE_SIZE", "OBJECT", "TaskError", "TaskNotFound", "TaskPage", "TaskView", "VersionConflict",
    "complete_task", "create_task", "delete_task", "get_task", "list_tasks", "reopen_task", "tasks_between",
    "update_task",
]  # fmt: skip

AUDIT_TYPE = "task"
_STORED = (
    "title", "description", "due_at", "all_day", "due_date", "assignee_id", "priority", "record_type",
    "record_id", "reminder", "remind_at",
)  # fmt: skip


def snapshot(view: TaskView) -> dict[str, Any]:
    """The audited form of a task (times in UTC, ISO 8601)."""
    return {
        "title": view.title,
        "description": view.description,
        "due_at": view.due_at.isoformat() if view.due_at else None,
        "all_day": view.all_day,
        "due_date": view.due_date.isoformat() if view.due_date else None,
        "assignee_id": view.assignee_id,
        "owner_id": view.owner_id,
        "priority": view.priority,
        "status": view.status,
        "record_type": view.record_type or None,
        "record_id": view.record_id,
        "reminder": view.reminder,
    }


async def _check(clean: dict[str, Any], principal: Principal, errors: dict[str, str]) -> None:
    """The assignee must be a member the principal may give tasks to; the record must be visible."""
    if clean.get("assignee_id") is not None:
        found: dict[str, str] = {}
        await check_owner(
            OBJECT,
            {"owner_id": clean["assignee_id"]},
            principal,
            found,
            _("You cannot assign tasks to this person."),
        )
        if "owner_id" in found:
            errors["assignee_id"] = found["owner_id"]
    record_type = clean.get("record_type")
    if record_type and "record_id" not in errors:
        record, refused = await resolve_writable_link(record_type, clean["record_id"])
        if record is None:
            errors["record_id"] = _("Choose a record to link.")
        elif refused:
            errors["record_id"] = refused
    if clean.get("reminder", "none") != "none" and clean.get("due_at") is None:
        errors["reminder"] = _("A reminder needs a due date.")


async def _write(statement: str, sql: Sql) -> TaskView:
    row = await fetchrow(Task, f"WITH t AS ({statement} RETURNING *) SELECT {COLUMNS} FROM t", *sql.params)
    task = await get_task(row["id"])
    assert task is not None  # the principal just wrote it, and may see it
    return task


async def _sync_reminder(task: TaskView, before: TaskView | None = None) -> None:
    if before is None or (before.remind_at, before.status) != (task.remind_at, task.status):
        await schedule(task.id, task.remind_at, is_open=task.is_open)


async def create_task(data: Mapping[str, Any]) -> TaskView:
    """Create a task owned by the acting user, audit it and queue its reminder.

    Raises:
        PermissionDenied: the principal may not create tasks.
        TaskError: with a message per invalid field.
    """
    principal = require(OBJECT, "create", record=False)
    clean, errors = clean_task({"title": "", **{k: v for k, v in data.items() if k in WRITABLE}},
                               current_preferences().time_zone)  # fmt: skip
    clean.setdefault("reminder", "none")
    await _check(clean, principal, errors)
    if errors:
        raise TaskError(errors)
    clean["remind_at"] = remind_at(clean.get("due_at"), clean["reminder"])
    clean["owner_id"] = principal.user_id
    sql = Sql()
    names = [name for name in (*_STORED, "owner_id") if name in clean]
    values = ", ".join(sql.bind(clean[name]) for name in names)
    task = await _write(f"INSERT INTO tasks ({', '.join(names)}) VALUES ({values})", sql)
    after = {name: value for name, value in snapshot(task).items() if value not in ("", None, False)}
    await record_change("create", AUDIT_TYPE, task.id, actor_user_id=principal.user_id, after=after)
    await _sync_reminder(task)
    return task


async def _locked(task_id: int) -> TaskView:
    current = await get_task(task_id, lock=True)
    if current is None:
        raise TaskNotFound(task_id)
    return current


def _check_version(current: TaskView, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)


async def update_task(task_id: int, changes: Mapping[str, Any], *, expected_version: int | None) -> TaskView:
    """Change the given fields if the task is still at ``expected_version`` (None: skip that check).

    Raises:
        TaskNotFound, PermissionDenied, VersionConflict, TaskError.
    """
    current = await _locked(task_id)
    principal = require(OBJECT, "edit", owner_id=current.owner_id)
    _check_version(current, expected_version)
    clean, errors = clean_task(
        {k: v for k, v in changes.items() if k in WRITABLE}, current_preferences().time_zone
    )
    changed = {name: value for name, value in clean.items() if getattr(current, name) != value}
    checked = {
        **changed,
        "due_at": clean.get("due_at", current.due_at),
        "reminder": clean.get("reminder", current.reminder),
    }
    if changed.keys() & {"record_type", "record_id"}:
        checked.update(record_type=clean["record_type"], record_id=clean["record_id"])
    await _check(checked, principal, errors)
    if errors:
        raise TaskError(errors)
    new_remind_at = remind_at(clean.get("due_at", current.due_at), clean.get("reminder", current.reminder))
    if new_remind_at != current.remind_at:
        changed["remind_at"] = new_remind_at
    if not changed:
        return current
    return await _update(current, changed, principal)


async def _update(
    current: TaskView, changed: Mapping[str, Any], principal: Principal, action: str = "update"
) -> TaskView:
    sql = Sql()
    sets = [f"{name} = {sql.bind(value)}" for name, value in changed.items()]
    statement = (
        f"UPDATE tasks SET {', '.join(sets)}, version = version + 1, updated_at = now()"
        f" WHERE id = {sql.bind(current.id)}"
    )
    task = await _write(statement, sql)
    await record_change(
        action,
        AUDIT_TYPE,
        task.id,
        actor_user_id=principal.user_id,
        before=snapshot(current),
        after=snapshot(task),
    )
    await _sync_reminder(task, current)
    return task


def _may_complete(current: TaskView) -> Principal:
    """The assignee may complete and reopen their task even when their role may not edit its owner's tasks."""
    principal = current_principal()
    if principal.user_id is not None and principal.user_id == current.assignee_id:
        return principal
    return require(OBJECT, "edit", owner_id=current.owner_id)


async def complete_task(task_id: int, *, expected_version: int | None = None) -> TaskView:
    """Mark the task done (by the acting user, now); its pending reminder is dropped. Done stays done."""
    current = await _locked(task_id)
    principal = _may_complete(current)
    _check_version(current, expected_version)
    if not current.is_open:
        return current
    changes = {
        "status": "done",
        "completed_at": datetime.now().astimezone(),
        "completed_by": principal.user_id,
    }
    return await _update(current, changes, principal)


async def reopen_task(task_id: int, *, expected_version: int | None = None) -> TaskView:
    """Open a done task again; its reminder is queued again if its time is still ahead."""
    current = await _locked(task_id)
    principal = _may_complete(current)
    _check_version(current, expected_version)
    if current.is_open:
        return current
    return await _update(current, {"status": "open", "completed_at": None, "completed_by": None}, principal)


async def delete_task(task_id: int, *, expected_version: int | None) -> TaskView:
    """Delete the task and its queued reminder (audited).

    Raises:
        TaskNotFound, PermissionDenied, VersionConflict.
    """
    current = await _locked(task_id)
    principal = require(OBJECT, "delete", owner_id=current.owner_id)
    _check_version(current, expected_version)
    await schedule(task_id, None, is_open=False)
    await fetchrow(Task, "DELETE FROM tasks WHERE id = $1 RETURNING id", task_id)
    await record_change(
        "delete", AUDIT_TYPE, task_id, actor_user_id=principal.user_id, before=snapshot(current)
    )
    return current


def may_edit(task: TaskView) -> bool:
    try:
        require(OBJECT, "edit", owner_id=task.owner_id)
    except PermissionDenied:
        return False
    return True


def may_complete(task: TaskView) -> bool:
    try:
        _may_complete(task)
    except PermissionDenied:
        return False
    return True


# A member who leaves hands over the open tasks assigned to them.
register_transferable(Transferable("tasks", "task", Task, owner_column="assignee_id", only="status = 'open'"))
