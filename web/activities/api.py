"""``/t/<slug>/api/v1/activities``: list (filters ``record_type``+``record_id``, ``kind``, ``author``; cursor),
get, create, PATCH and delete with ETag/If-Match, like the contact API."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from sampark.platform.i18n import gettext as _
from sampark.tenants.activities.queries import MAX_PAGE_SIZE, get_activity, list_activities
from sampark.tenants.activities.services import create_activity, delete_activity, update_activity
from sampark.tenants.search.listing import ListError
from sampark.web.activities.schemas import (
    ActivityCreate,
    ActivityList,
    ActivityOut,
    ActivityPatch,
    activity_out,
)
from sampark.web.contacts.http import (
    API_EXCEPTION_HANDLERS,
    api_error,
    expected_version,
    list_error,
    list_filters,
)
from sampark.web.contacts.schemas import body_dict
from sampark.web.deps import CurrentTenant

_FILTERS = ("record_type", "record_id", "kind", "author")


def _links(data: dict[str, Any]) -> list[str] | None:
    links = data.pop("links", None)
    return None if links is None else [f"{item['record_type']}:{item['record_id']}" for item in links]


class ActivityApiController(Controller):
    path = "/api/v1/activities"
    tags = ["activities"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/")
    async def list_activities(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 50,
        cursor: Annotated[
            str | None, QueryParameter(max_length=500, description="next_cursor of the last page")
        ] = None,
        sort: Annotated[
            str | None, QueryParameter(description="occurred_at, created_at or id; - for descending")
        ] = None,
        record_type: Annotated[
            str | None, QueryParameter(description="with record_id: activities on that record")
        ] = None,
        record_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        kind: Annotated[str | None, QueryParameter(description="note, call, meeting or email")] = None,
        author: Annotated[int | None, QueryParameter(ge=1, description="the author's user id")] = None,
    ) -> ActivityList:
        """Activities the caller may see, newest first; unknown filter or sort fields answer 400."""
        filters = list_filters(request, _FILTERS)
        if ("record_type" in filters) != ("record_id" in filters):
            message = _("Send record_type and record_id together.")
            raise api_error(400, "invalid_filter", message, {"record_type": message})
        query = {"kind": filters.get("kind", ""), "owner_id": filters.get("author", "")}
        if "record_type" in filters:
            query["record"] = f"{filters['record_type']}:{filters['record_id']}"
        try:
            page = await list_activities(limit=limit, cursor=cursor, sort=sort, filters=query)
        except ListError as problem:
            raise list_error(problem) from None
        return ActivityList([activity_out(item) for item in page.items], page.next_cursor)

    @get("/{activity_id:int}")
    async def get_activity(self, tenant: CurrentTenant, activity_id: FromPath[int]) -> Response[ActivityOut]:
        """One activity with its ``ETag``; 404 when it does not exist here or the caller may not see it."""
        activity = await get_activity(activity_id)
        if activity is None:
            raise NotFoundException()
        return Response(activity_out(activity), headers={"ETag": activity.etag})

    @post("/")
    async def create_activity(
        self, tenant: CurrentTenant, data: JSONBody[ActivityCreate]
    ) -> Response[ActivityOut]:
        """Log an activity: 201 with ``Location`` and ``ETag``; 422 ``validation_failed`` (``links`` for bad links)."""
        fields = body_dict(data)
        kind, attendees = fields.pop("kind"), fields.pop("attendees", [])
        links = _links(fields) or []
        fields = {name: value for name, value in fields.items() if value not in (None, "")}
        activity = await create_activity(kind, fields, links=links, attendees=attendees)
        location = f"/t/{tenant.slug}/api/v1/activities/{activity.id}"
        return Response(
            activity_out(activity), status_code=201, headers={"ETag": activity.etag, "Location": location}
        )

    @patch("/{activity_id:int}")
    async def update_activity(
        self,
        tenant: CurrentTenant,
        activity_id: FromPath[int],
        data: JSONBody[ActivityPatch],
        if_match: Annotated[
            str | None, HeaderParameter(name="If-Match", description="the ETag last read")
        ] = None,
    ) -> Response[ActivityOut]:
        """Change the fields sent. 428 without ``If-Match``, 412 when the activity changed since that ETag."""
        version = expected_version(if_match)
        fields = body_dict(data)
        attendees = fields.pop("attendees", None)
        links = _links(fields)
        activity = await update_activity(
            activity_id, fields, expected_version=version, links=links, attendees=attendees
        )
        return Response(activity_out(activity), headers={"ETag": activity.etag})

    @delete("/{activity_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def delete_activity(
        self,
        tenant: CurrentTenant,
        activity_id: FromPath[int],
        if_match: Annotated[
            str | None, HeaderParameter(name="If-Match", description="the ETag last read")
        ] = None,
    ) -> None:
        """Delete an activity. 428/412 as for PATCH."""
        await delete_activity(activity_id, expected_version=expected_version(if_match))
