"""Task pages: "My tasks" with filters and keyset paging, a task, complete/reopen (htmx), deletion, and the
tasks section that contact and company pages load."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.records.links import resolve_link
from sampark.tenants.search.listing import ListError
from sampark.tenants.tasks.fields import reminder_label
from sampark.tenants.tasks.services import (
    OBJECT,
    complete_task,
    delete_task,
    get_task,
    list_tasks,
    reopen_task,
)
from sampark.web.contacts.pagekit import (
    PAGE_SIZE,
    can,
    confirm_delete_page,
    delete_and_redirect,
    list_url,
    page_filters,
)
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import render
from sampark.web.tasks.common import row_context

DEFAULT_FILTERS = {"view": "mine", "when": "open"}
SECTION_SIZE = 10


def _safe_next(tenant_slug: str, value: str) -> str:
    """Only a path inside this tenant (never another site) is a place to go back to."""
    base = f"/t/{tenant_slug}/"
    return value if value.startswith(base) and "//" not in value and "\\" not in value else base + "tasks/"


class TaskPagesController(Controller):
    path = "/tasks"
    include_in_schema = False

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        cursor: Annotated[str | None, QueryParameter(max_length=500)] = None,
        sort: Annotated[str | None, QueryParameter(max_length=40)] = None,
    ) -> Response[str]:
        filters = {**DEFAULT_FILTERS, **page_filters(request.query_params)}
        # ``view`` is a list control elsewhere (a saved view's id), so page_filters leaves it out; here it is
        # the "Whose" filter and must be read explicitly, or choosing "All" still shows only "mine".
        whose = str(request.query_params.get("view") or "").strip()
        if whose:
            filters["view"] = whose
        filters = {name: value for name, value in filters.items() if value != "any"}
        base = f"/t/{tenant.slug}/tasks/"
        context: dict[str, Any] = {
            **await row_context(),
            "filters": filters,
            "sort": sort or "due",
            "cursor": cursor,
            "url": lambda **changes: list_url(base, {**filters, "sort": sort}, **changes),
            "error": None,
            "page": None,
            "can_create": can(OBJECT, "create", record=False),
            "back": request.url.path + ("?" + request.url.query if request.url.query else ""),
        }
        try:
            context["page"] = await list_tasks(limit=PAGE_SIZE, cursor=cursor, sort=sort, filters=filters)
        except ListError as problem:
            context["error"] = problem.message
            return render(request, "tasks/index.html", context, status_code=400)
        return render(request, "tasks/index.html", context, block="rows")

    @get("/section")
    async def section(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        record_type: Annotated[str, QueryParameter(max_length=32)],
        record_id: Annotated[int, QueryParameter(ge=1, le=2**63 - 1)],
    ) -> Response[str]:
        """The open tasks of one record, for its detail page (loaded by htmx)."""
        record = await resolve_link(record_type, record_id)
        if record is None:
            raise NotFoundException()
        filters = {"record_type": record_type, "record_id": str(record_id), "status": "open"}
        page = await list_tasks(limit=SECTION_SIZE, filters=filters)
        return render(
            request,
            "tasks/_section.html",
            {
                **await row_context(),
                "page": page,
                "record": record,
                "can_create": can(OBJECT, "create", record=False) and not record.read_only,
                "back": f"/t/{tenant.slug}{record.path}",
            },
        )

    @get("/{task_id:int}")
    async def detail(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, task_id: FromPath[int]
    ) -> Response[str]:
        task = await get_task(task_id)
        if task is None:
            raise NotFoundException()
        return render(
            request,
            "tasks/detail.html",
            {**await row_context(), "task": task, "reminder_label": reminder_label, "back": request.url.path},
        )

    @post("/{task_id:int}/complete")
    async def complete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, task_id: FromPath[int]
    ) -> Response[Any]:
        return await self._toggle(request, tenant.slug, task_id, done=True)

    @post("/{task_id:int}/reopen")
    async def reopen(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, task_id: FromPath[int]
    ) -> Response[Any]:
        return await self._toggle(request, tenant.slug, task_id, done=False)

    async def _toggle(
        self, request: Request[Any, Any, Any], slug: str, task_id: int, *, done: bool
    ) -> Response[Any]:
        form = await request.form()
        try:
            task = await (complete_task if done else reopen_task)(task_id)
        except PermissionDenied:
            if await get_task(task_id) is None:
                raise NotFoundException() from None
            raise
        if request.headers.get("hx-request"):
            return render(request, "tasks/_row.html", {**await row_context(), "task": task, "back": ""})
        return Redirect(path=_safe_next(slug, str(form.get("next") or "")), status_code=303)

    @get("/{task_id:int}/delete")
    async def confirm_delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, task_id: FromPath[int]
    ) -> Response[str]:
        return confirm_delete_page(
            request, await get_task(task_id), obj=OBJECT, template="tasks/delete.html", key="task"
        )

    @post("/{task_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, task_id: FromPath[int]
    ) -> Response[Any]:
        return await delete_and_redirect(
            request,
            delete_task,
            task_id,
            template="tasks/delete.html",
            key="task",
            done=lambda task: _("The task “%(name)s” was deleted.", name=task.title),
            back=f"/t/{tenant.slug}/tasks/",
        )
