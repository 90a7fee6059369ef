"""Task forms: create and edit, with inline errors and a version check."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.tenants.access.policy import require
from sampark.tenants.records.links import resolve_link
from sampark.tenants.tasks.services import (
    OBJECT,
    TaskError,
    TaskView,
    VersionConflict,
    create_task,
    get_task,
    update_task,
)
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render
from sampark.web.tasks.common import form_choices
from sampark.web.tasks.forms import TaskForm

_COMPARED = (
    ("title", lazy_gettext("Title")),
    ("description", lazy_gettext("Description")),
    ("due_date", lazy_gettext("Due date")),
    ("due_time", lazy_gettext("Due time")),
    ("priority", lazy_gettext("Priority")),
)
# Service error keys as the form's input ids.
_INPUT = {"due_at": "due_date", "record_id": "record_type"}


def _typed(form: TaskForm, current: TaskView) -> list[tuple[str, str]]:
    theirs, now = form.to_data(), TaskForm.from_view(current).to_data()
    return [
        (str(title), str(theirs.get(name) or ""))
        for name, title in _COMPARED
        if str(theirs.get(name) or "").strip() != str(now.get(name) or "").strip()
    ]


async def _page(
    request: Request[Any, Any, Any],
    form: TaskForm,
    *,
    task: TaskView | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    conflict: list[tuple[str, str]] | None = None,
) -> Response[str]:
    record = None
    if form.record_type and form.record_id.isdigit():
        record = await resolve_link(form.record_type, int(form.record_id))
    if task is None and record is not None and record.read_only:
        # Said before the user types a task that could not be saved (a converted lead takes no new tasks).
        errors = {"record_id": record.read_only_reason, **(errors or {})}
    context = {
        **await form_choices(),
        "form": form,
        "task": task,
        "record": record,
        "errors": {_INPUT.get(key, key): message for key, message in (errors or {}).items()},
        "conflict": conflict,
    }
    return render(request, "tasks/form.html", context, status_code=status_code)


class TaskFormsController(Controller):
    path = "/tasks"
    include_in_schema = False

    @get("/new")
    async def new(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        record_type: Annotated[str, QueryParameter(max_length=32)] = "",
        record_id: Annotated[str, QueryParameter(max_length=20)] = "",
    ) -> Response[str]:
        require(OBJECT, "create", record=False)
        return await _page(request, TaskForm(record_type=record_type, record_id=record_id))

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        form = TaskForm.from_post(await request.form())
        try:
            task = await create_task(form.to_data())
        except TaskError as problem:
            return await _page(request, form, errors=problem.errors, status_code=400)
        flash(request, _("The task “%(name)s” was added.", name=task.title), "success")
        return Redirect(path=f"/t/{tenant.slug}/tasks/{task.id}", status_code=303)

    @get("/{task_id:int}/edit")
    async def edit(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, task_id: FromPath[int]
    ) -> Response[str]:
        task = await get_task(task_id)
        if task is None:
            raise NotFoundException()
        require(OBJECT, "edit", task.owner_id)
        return await _page(request, TaskForm.from_view(task), task=task)

    @post("/{task_id:int}/edit")
    async def update(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, task_id: FromPath[int]
    ) -> Response[Any]:
        form = TaskForm.from_post(await request.form())
        task = await get_task(task_id)
        if task is None:
            raise NotFoundException()
        try:
            task = await update_task(
                task_id, form.to_data(), expected_version=form.version if form.version is not None else -1
            )
        except VersionConflict as conflict:
            current = conflict.current
            return await _page(
                request,
                TaskForm.from_view(current),
                task=current,
                conflict=_typed(form, current),
                status_code=409,
            )
        except TaskError as problem:
            return await _page(request, form, task=task, errors=problem.errors, status_code=400)
        flash(request, _("Your changes to “%(name)s” were saved.", name=task.title), "success")
        return Redirect(path=f"/t/{tenant.slug}/tasks/{task.id}", status_code=303)
