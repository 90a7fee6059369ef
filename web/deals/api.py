"""``/t/<slug>/api/v1/deals`` (list, get, create, PATCH, delete, stage moves, won/lost) and
``/t/<slug>/api/v1/pipelines`` (list, get; admins create and update). ETag/If-Match and errors as for contacts."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from sampark.tenants.access.policy import require
from sampark.tenants.deals import queries
from sampark.tenants.deals.services import (
    MAX_PAGE_SIZE,
    create_deal,
    delete_deal,
    get_deal,
    list_deals,
    mark_lost,
    mark_won,
    move_stage,
    reopen_deal,
    update_deal,
)
from sampark.tenants.pipelines import services as pipelines
from sampark.tenants.records.errors import VersionConflict
from sampark.tenants.search.listing import ListError
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS, expected_version, list_error, list_filters
from sampark.web.contacts.schemas import body_dict
from sampark.web.deals.schemas import (
    DealCreate,
    DealList,
    DealOut,
    DealPatch,
    LostBody,
    PipelineCreate,
    PipelineOut,
    PipelinePatch,
    StageMoveBody,
    deal_out,
    pipeline_out,
)
from sampark.web.deps import CurrentTenant

IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="the ETag last read")]


def _answer(deal: Any, status_code: int = 200, **headers: str) -> Response[DealOut]:
    return Response(deal_out(deal), status_code=status_code, headers={"ETag": deal.etag, **headers})


class DealApiController(Controller):
    path = "/api/v1/deals"
    tags = ["deals"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/")
    async def list_deals(
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
                description="name, amount, expected_close_date, created_at, updated_at or id; - for descending"
            ),
        ] = None,
        name: Annotated[str | None, QueryParameter(description="words the name starts with")] = None,
        pipeline_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        stage_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        owner_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        company_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        contact_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        status: Annotated[str | None, QueryParameter(description="open, won or lost")] = None,
        amount_min: Annotated[str | None, QueryParameter(max_length=30)] = None,
        amount_max: Annotated[str | None, QueryParameter(max_length=30)] = None,
        close_from: Annotated[str | None, QueryParameter(max_length=10, description="YYYY-MM-DD")] = None,
        close_to: Annotated[str | None, QueryParameter(max_length=10, description="YYYY-MM-DD")] = None,
    ) -> DealList:
        """Deals the caller may see; unknown filter or sort fields answer 400."""
        filters = list_filters(request, queries.LIST_SPEC.filters)
        try:
            page = await list_deals(limit=limit, cursor=cursor, sort=sort, filters=filters)
        except ListError as problem:
            raise list_error(problem) from None
        return DealList([deal_out(item) for item in page.items], page.next_cursor)

    @get("/{deal_id:int}")
    async def get_deal(self, tenant: CurrentTenant, deal_id: FromPath[int]) -> Response[DealOut]:
        """One deal with its ``ETag``; 404 when it does not exist here or the caller may not see it."""
        deal = await get_deal(deal_id)
        if deal is None:
            raise NotFoundException()
        return _answer(deal)

    @post("/")
    async def create_deal(self, tenant: CurrentTenant, data: JSONBody[DealCreate]) -> Response[DealOut]:
        """Create a deal: 201 with ``Location`` and ``ETag``; 422 ``validation_failed``."""
        deal = await create_deal(body_dict(data))
        return _answer(deal, 201, Location=f"/t/{tenant.slug}/api/v1/deals/{deal.id}")

    @patch("/{deal_id:int}")
    async def update_deal(
        self,
        tenant: CurrentTenant,
        deal_id: FromPath[int],
        data: JSONBody[DealPatch],
        if_match: IfMatch = None,
    ) -> Response[DealOut]:
        """Change the fields sent. 428 without ``If-Match``, 412 when the deal changed since that ETag."""
        version = expected_version(if_match)
        return _answer(await update_deal(deal_id, body_dict(data), expected_version=version))

    @delete("/{deal_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def delete_deal(
        self, tenant: CurrentTenant, deal_id: FromPath[int], if_match: IfMatch = None
    ) -> None:
        """Delete a deal (its contact links and stage history go with it). 428/412 as for PATCH."""
        await delete_deal(deal_id, expected_version=expected_version(if_match))

    @post("/{deal_id:int}/stage", status_code=200)
    async def move_deal(
        self,
        tenant: CurrentTenant,
        deal_id: FromPath[int],
        data: JSONBody[StageMoveBody],
        if_match: IfMatch = None,
    ) -> Response[DealOut]:
        """Move to another stage of the deal's pipeline; a won/lost stage closes it, an open one reopens it."""
        version = expected_version(if_match)
        return _answer(await move_stage(deal_id, data.stage_id, expected_version=version))

    @post("/{deal_id:int}/won", status_code=200)
    async def win_deal(
        self, tenant: CurrentTenant, deal_id: FromPath[int], if_match: IfMatch = None
    ) -> Response[DealOut]:
        """Mark as won (moves to the pipeline's won stage)."""
        return _answer(await mark_won(deal_id, expected_version=expected_version(if_match)))

    @post("/{deal_id:int}/lost", status_code=200)
    async def lose_deal(
        self,
        tenant: CurrentTenant,
        deal_id: FromPath[int],
        data: JSONBody[LostBody],
        if_match: IfMatch = None,
    ) -> Response[DealOut]:
        """Mark as lost with a reason (422 without a known one)."""
        version = expected_version(if_match)
        return _answer(await mark_lost(deal_id, data.reason, data.note, expected_version=version))

    @post("/{deal_id:int}/reopen", status_code=200)
    async def reopen(
        self, tenant: CurrentTenant, deal_id: FromPath[int], if_match: IfMatch = None
    ) -> Response[DealOut]:
        """Reopen a won or lost deal in the open stage it came from."""
        return _answer(await reopen_deal(deal_id, expected_version=expected_version(if_match)))


class PipelineApiController(Controller):
    path = "/api/v1/pipelines"
    tags = ["pipelines"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/")
    async def list_pipelines(self, tenant: CurrentTenant) -> list[PipelineOut]:
        """Every pipeline with its stages in order (needs permission to view deals)."""
        require("deals", "view", record=False)
        return [pipeline_out(item) for item in await pipelines.list_pipelines()]

    @get("/{pipeline_id:int}")
    async def get_pipeline(self, tenant: CurrentTenant, pipeline_id: FromPath[int]) -> Response[PipelineOut]:
        require("deals", "view", record=False)
        pipeline = await pipelines.get_pipeline(pipeline_id)
        if pipeline is None:
            raise NotFoundException()
        return Response(pipeline_out(pipeline), headers={"ETag": pipeline.etag})

    @post("/")
    async def create_pipeline(
        self, tenant: CurrentTenant, data: JSONBody[PipelineCreate]
    ) -> Response[PipelineOut]:
        """Create a pipeline with the default stages (settings permission)."""
        pipeline = await pipelines.create_pipeline(data.name, data.names)
        location = f"/t/{tenant.slug}/api/v1/pipelines/{pipeline.id}"
        return Response(
            pipeline_out(pipeline), status_code=201, headers={"ETag": pipeline.etag, "Location": location}
        )

    @patch("/{pipeline_id:int}")
    async def update_pipeline(
        self,
        tenant: CurrentTenant,
        pipeline_id: FromPath[int],
        data: JSONBody[PipelinePatch],
        if_match: IfMatch = None,
    ) -> Response[PipelineOut]:
        """Rename and/or append stages. 428 without ``If-Match``, 412 when changed meanwhile."""
        version = expected_version(if_match)
        pipeline = await pipelines.require_pipeline(pipeline_id)
        if version is not None and version != pipeline.version:
            raise VersionConflict(pipeline)
        names = data.names if isinstance(data.names, dict) else None
        if isinstance(data.name, str) or names is not None:
            name = data.name if isinstance(data.name, str) else pipeline.name
            pipeline = await pipelines.rename_pipeline(pipeline_id, name, names=names, expected_version=None)
        for stage in data.add_stages:
            data_stage = {
                "name": stage.name, "probability": str(stage.probability), "kind": stage.kind, "names": stage.names,
            }  # fmt: skip
            pipeline = await pipelines.add_stage(pipeline_id, data_stage, expected_version=None)
        return Response(pipeline_out(pipeline), headers={"ETag": pipeline.etag})
