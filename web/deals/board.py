"""The kanban board: a column per stage, cards moved by drag and drop (``static/js/kanban.js``) or by the
"Move to…" form on each card, which works without JavaScript and is what phones and keyboards use.

A move from the script (``HX-Request``) answers with the updated card and the two column headers, or with a
short message and a 4xx status, which puts the card back; a plain form post redirects to the board.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, require
from sampark.tenants.deals import board as boards
from sampark.tenants.deals.queries import OBJECT
from sampark.tenants.deals.schemas import DealError, DealView, VersionConflict
from sampark.tenants.deals.services import list_deals, move_stage
from sampark.tenants.history.people import label, members
from sampark.tenants.pipelines.queries import get_pipeline, list_pipelines, member_default_pipeline
from sampark.tenants.pipelines.schemas import PipelineView
from sampark.tenants.records.errors import RecordNotFound
from sampark.tenants.search.listing import ListError
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, is_htmx, render


async def _pipeline(pipeline: str) -> PipelineView:
    chosen = await (
        get_pipeline(int(pipeline))
        if pipeline.isdigit() and len(pipeline) < 19
        else member_default_pipeline()
    )
    if chosen is None:
        raise NotFoundException()
    return chosen


async def _owner_label() -> Any:
    people = await members()
    return lambda owner_id: label(people, owner_id) if owner_id else ""


class DealBoardController(Controller):
    path = "/deals"
    include_in_schema = False

    @get("/board")
    async def board(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        pipeline: Annotated[str, QueryParameter(max_length=20)] = "",
    ) -> Response[str]:
        require(OBJECT, "view", record=False)
        chosen = await _pipeline(pipeline)
        context = {
            "board": await boards.board(chosen.id),
            "pipelines": await list_pipelines(),
            "owner_label": await _owner_label(),
            "can_create": _can_create(),
        }
        return render(request, "deals/board.html", context)

    @get("/board/cards")
    async def more_cards(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        stage_id: Annotated[str, QueryParameter(max_length=20)] = "",
        cursor: Annotated[str | None, QueryParameter(max_length=500)] = None,
    ) -> Response[str]:
        """A column's next cards (its "Show more" link), by expected close date."""
        if not stage_id.isdigit():
            raise NotFoundException()
        try:
            page = await list_deals(
                limit=boards.CARD_CAP,
                cursor=cursor,
                sort="expected_close_date",
                filters={"stage_id": stage_id},
            )
        except ListError as problem:
            return Response(problem.message, status_code=400)
        pipeline = await get_pipeline(page.items[0].pipeline_id) if page.items else None
        context = {
            "page": page,
            "stages": pipeline.stages if pipeline else (),
            "stage_id": stage_id,
            "owner_label": await _owner_label(),
        }
        return render(request, "deals/_cards.html", context)

    @post("/{deal_id:int}/move")
    async def move(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, deal_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        stage_text, version_text = str(form.get("stage_id") or ""), str(form.get("version") or "")
        scripted = is_htmx(request)
        back = f"/t/{tenant.slug}/deals/board"
        try:
            if not stage_text.isdigit() or len(stage_text) > 18:
                raise DealError({"stage_id": _("Choose a stage of this pipeline.")})
            version = int(version_text) if version_text.isdigit() else -1
            before = form.get("from_stage_id")
            deal = await move_stage(deal_id, int(stage_text), expected_version=version)
        except VersionConflict:
            return _refused(
                request,
                scripted,
                back,
                409,
                _("Someone else changed this deal meanwhile. Reload the board and try again."),
            )
        except DealError:
            return _refused(request, scripted, back, 400, _("This deal cannot move to that stage."))
        except PermissionDenied:
            return _refused(request, scripted, back, 403, _("You may not move this deal."))
        except RecordNotFound:
            return _refused(
                request, scripted, back, 404, _("This deal no longer exists, or you cannot see it.")
            )
        message = _("%(name)s moved to %(stage)s.", name=deal.name, stage=deal.stage_label)
        if not scripted:
            flash(request, message, "success")
            return Redirect(path=f"{back}?pipeline={deal.pipeline_id}#deal-card-{deal.id}", status_code=303)
        return await _moved(request, deal, str(before or ""), message)


def _can_create() -> bool:
    try:
        require(OBJECT, "create", record=False)
    except PermissionDenied:
        return False
    return True


def _refused(
    request: Request[Any, Any, Any], scripted: bool, back: str, status: int, message: str
) -> Response[Any]:
    if scripted:
        return Response(message, status_code=status, media_type="text/plain")
    flash(request, message, "error")
    return Redirect(path=back, status_code=303)


async def _moved(request: Request[Any, Any, Any], deal: DealView, before: str, message: str) -> Response[str]:
    pipeline = await get_pipeline(deal.pipeline_id)
    assert pipeline is not None
    stages = [stage for stage in pipeline.stages if stage.id == deal.stage_id or str(stage.id) == before]
    columns = [await boards.column(pipeline, stage) for stage in stages]
    context = {
        "deal": deal,
        "stages": pipeline.stages,
        "columns": columns,
        "owner_label": await _owner_label(),
        "message": message,
    }
    return render(request, "deals/_moved.html", context)
