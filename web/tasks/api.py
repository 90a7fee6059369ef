"""``/t/<slug>/api/v1/tasks``: list, get, create, PATCH and delete (ETag/If-Match as for contacts), and
``POST /{id}/complete`` / ``/{id}/reopen``."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from sampark.tenants.search.listing import ListError
from sampark.tenants.tasks import queries
from sampark.tenants.tasks.services import (
    MAX_PAGE_SIZE,
    complete_task,
    create_task,
    delete_task,
    get_task,
    list_tasks,
    reopen_task,
    update_task,
)
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS, expected_version, list_error, list_filters
from sampark.web.contacts.schemas import body_dict
from sampark.web.deps import CurrentTenant
from sampark.web.tasks.schemas import TaskCreate, TaskList, TaskOut, TaskPatch, task_out

IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="the ETag last read")]


class TaskApiController(Controller):
    path = "/api/v1/tasks"
    tags = ["tasks"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/")
    async def list_tasks(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 50,
        cursor: Annotated[
            str | None, QueryParameter(max_length=500, description="next_cursor of the last page")
        ] = None,
        sort: Annotated[
            str | None,
            QueryParameter(
                description="due, priority, created_at, updated_at or id; prefix - for descending"
            ),
        ] = None,
        view: Annotated[
            str | None, QueryParameter(description="mine, assigned_by_me or all (default)")
        ] = None,
        when: Annotated[
            str | None, QueryParameter(description="open, overdue, today, upcoming or done")
        ] = None,
        priority: FromQuery[str | None] = None,
        status: Annotated[str | None, QueryParameter(description="open or done")] = None,
        assignee_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        owner_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        record_type: Annotated[str | None, QueryParameter(description="contact, company, ...")] = None,
        record_id: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> TaskList:
        """Tasks the caller may see (their role's scope, plus every task assigned to them)."""
        filters = list_filters(request, queries.LIST_SPEC.filters)
        try:
            page = await list_tasks(limit=limit, cursor=cursor, sort=sort, filters=filters)
        except ListError as problem:
            raise list_error(problem) from None
        return TaskList([task_out(item) for item in page.items], page.next_cursor)

    @get("/{task_id:int}")
    async def get_task(self, tenant: CurrentTenant, task_id: FromPath[int]) -> Response[TaskOut]:
        """One task with its ``ETag``; 404 when it does not exist here or the caller may not see it."""
        task = await get_task(task_id)
        if task is None:
            raise NotFoundException()
        return Response(task_out(task), headers={"ETag": task.etag})

    @post("/")
    async def create_task(self, tenant: CurrentTenant, data: JSONBody[TaskCreate]) -> Response[TaskOut]:
        """Create a task owned by the caller: 201 with ``Location`` and ``ETag``; 422 ``validation_failed``."""
        task = await create_task(body_dict(data))
        location = f"/t/{tenant.slug}/api/v1/tasks/{task.id}"
        return Response(task_out(task), status_code=201, headers={"ETag": task.etag, "Location": location})

    @patch("/{task_id:int}")
    async def update_task(
        self,
        tenant: CurrentTenant,
        task_id: FromPath[int],
        data: JSONBody[TaskPatch],
        if_match: IfMatch = None,
    ) -> Response[TaskOut]:
        """Change the fields sent. 428 without ``If-Match``, 412 when the task changed since that ETag."""
        task = await update_task(task_id, body_dict(data), expected_version=expected_version(if_match))
        return Response(task_out(task), headers={"ETag": task.etag})

    @delete("/{task_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def delete_task(
        self, tenant: CurrentTenant, task_id: FromPath[int], if_match: IfMatch = None
    ) -> None:
        """Delete a task and its pending reminder. 428/412 as for PATCH."""
        await delete_task(task_id, expected_version=expected_version(if_match))

    @post("/{task_id:int}/complete", status_code=200)
    async def complete_task(self, tenant: CurrentTenant, task_id: FromPath[int]) -> Response[TaskOut]:
        """Mark the task done (the assignee may, even without edit rights on its owner's tasks)."""
        task = await complete_task(task_id)
        return Response(task_out(task), headers={"ETag": task.etag})

    @post("/{task_id:int}/reopen", status_code=200)
    async def reopen_task(self, tenant: CurrentTenant, task_id: FromPath[int]) -> Response[TaskOut]:
        """Open a done task again."""
        task = await reopen_task(task_id)
        return Response(task_out(task), headers={"ETag": task.etag})
