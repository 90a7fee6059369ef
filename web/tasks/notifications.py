"""The notification bell (an htmx fragment in the header), the notifications page, and marking them read."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.tenants.tasks.notifications import list_notifications, mark_read, unread_count
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import render


class NotificationPagesController(Controller):
    path = "/notifications"
    include_in_schema = False

    @get("/bell")
    async def bell(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        """The header's bell with the unread count (polled every minute by htmx)."""
        return render(request, "tasks/_bell.html", {"unread": await unread_count()})

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        before: Annotated[int | None, QueryParameter(ge=1, le=2**63 - 1)] = None,
    ) -> Response[str]:
        items, more = await list_notifications(before)
        context = {"items": items, "more": more, "unread": await unread_count()}
        return render(request, "tasks/notifications.html", context, block="items" if before else None)

    @post("/{notification_id:int}/read")
    async def read_one(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, notification_id: FromPath[int]
    ) -> Response[Any]:
        await mark_read(notification_id)
        return Redirect(path=f"/t/{tenant.slug}/notifications/", status_code=303)

    @post("/read-all")
    async def read_all(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        await mark_read()
        return Redirect(path=f"/t/{tenant.slug}/notifications/", status_code=303)
