"""In-app notifications: written by the reminder worker, listed under the bell, marked read by their reader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sampark.platform.db.sql import fetch, fetchval
from sampark.tenants.access.policy import current_principal
from sampark.tenants.tasks.tables import Notification

PAGE_SIZE = 25


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    title: str
    body: str
    url: str
    task_id: int | None
    read_at: datetime | None
    created_at: datetime


def _me() -> int:
    user_id = current_principal().user_id
    if user_id is None:
        raise LookupError("notifications belong to a member")
    return user_id


async def add_notification(user_id: int, title: str, body: str, url: str, task_id: int | None) -> int:
    """Store a notification for ``user_id`` (the worker calls this in the delivery's transaction)."""
    return int(
        await fetchval(
            Notification,
            "INSERT INTO notifications (user_id, title, body, url, task_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            user_id,
            title[:300],
            body,
            url[:500],
            task_id,
        )
    )


async def unread_count() -> int:
    """How many of the acting member's notifications are unread."""
    query = "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL"
    return int(await fetchval(Notification, query, _me()))


async def list_notifications(
    before: int | None = None, limit: int = PAGE_SIZE
) -> tuple[list[NotificationView], int | None]:
    """The acting member's notifications, newest first, and the id to continue before (None at the end)."""
    rows = await fetch(
        Notification,
        "SELECT id, kind, title, body, url, task_id, read_at, created_at FROM notifications"
        " WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
        _me(), before or 2**63 - 1, limit + 1,
    )  # fmt: skip
    items = [NotificationView(**dict(row)) for row in rows[:limit]]
    return items, (items[-1].id if len(rows) > limit else None)


async def mark_read(notification_id: int | None = None) -> int:
    """Mark one notification (or, without an id, all) of the acting member read; returns how many changed."""
    query = "UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL"
    args: list[object] = [_me()]
    if notification_id is not None:
        query += " AND id = $2"
        args.append(notification_id)
    rows = await fetch(Notification, query + " RETURNING id", *args)
    return len(rows)
