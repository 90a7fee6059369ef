"""``/t/<slug>/api/v1/views``: the caller's saved views and the shared ones; create, read and delete.

Sharing a view (and deleting a shared one) needs ``settings: edit``; another user's personal view answers 404.
DELETE requires ``If-Match`` with the view's ETag (428 without, 412 when it changed).
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from sampark.tenants.customfields.registry import custom_object
from sampark.tenants.customfields.schemas import SavedViewData, ViewNotFound
from sampark.tenants.customfields.views import create_view, delete_view, get_view, views_for
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS, expected_version
from sampark.web.deps import CurrentTenant


class ViewCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A saved list view: ``filters`` and ``sort`` as the object's list API takes them."""

    object: str
    name: str
    filters: dict[str, str] = msgspec.field(default_factory=dict)
    sort: str = ""
    # Built-in column keys and cf.<key>, in order (the name column is always shown first).
    columns: list[str] = msgspec.field(default_factory=list)
    shared: bool = False


class ViewOut(msgspec.Struct):
    id: int
    object: str
    name: str
    owner_id: int
    shared: bool
    filters: dict[str, str]
    sort: str
    columns: list[str]
    version: int


class ViewList(msgspec.Struct):
    items: list[ViewOut]


def view_out(view: SavedViewData) -> ViewOut:
    return ViewOut(
        view.id, view.object, view.name, view.owner_id, view.shared, dict(view.filters), view.sort,
        list(view.columns), view.version,
    )  # fmt: skip


class ViewApiController(Controller):
    path = "/api/v1/views"
    tags = ["views"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/")
    async def list_views(
        self,
        tenant: CurrentTenant,
        object: Annotated[
            str, QueryParameter(max_length=32, description="contacts, companies, ...")
        ] = "contacts",
    ) -> ViewList:
        """The caller's own views of ``object`` and the shared ones, by name; 404 for an unknown object."""
        if custom_object(object) is None:
            raise ViewNotFound(object)
        return ViewList([view_out(view) for view in await views_for(object)])

    @get("/{view_id:int}")
    async def get_view(self, tenant: CurrentTenant, view_id: FromPath[int]) -> Response[ViewOut]:
        """One view with its ``ETag``; 404 for another user's personal view or another tenant's."""
        view = await get_view(view_id)
        return Response(view_out(view), headers={"ETag": view.etag})

    @post("/")
    async def create_view(self, tenant: CurrentTenant, data: JSONBody[ViewCreate]) -> Response[ViewOut]:
        """Save a view: 201; 422 ``validation_failed`` (a bad column, sharing without permission); 404 unknown object."""
        body = msgspec.to_builtins(data)
        obj = body.pop("object")
        if custom_object(obj) is None:
            raise ViewNotFound(obj)
        view = await create_view(obj, body)
        location = f"/t/{tenant.slug}/api/v1/views/{view.id}"
        return Response(view_out(view), status_code=201, headers={"ETag": view.etag, "Location": location})

    @delete("/{view_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def delete_view(
        self,
        tenant: CurrentTenant,
        view_id: FromPath[int],
        if_match: Annotated[
            str | None, HeaderParameter(name="If-Match", description="the ETag last read")
        ] = None,
    ) -> None:
        """Delete a view the caller may change. 428 without ``If-Match``, 412 when it changed since that ETag."""
        await delete_view(view_id, expected_version=expected_version(if_match))
