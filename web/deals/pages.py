"""Deal pages: the list, a deal with its contacts, stage history and record history, deletion, and the
won/lost dialog (also reopening)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import require
from sampark.tenants.deals.fields import LOST_REASONS, reason_label, status_label
from sampark.tenants.deals.money import base_amounts
from sampark.tenants.deals.queries import OBJECT
from sampark.tenants.deals.schemas import DealError, VersionConflict
from sampark.tenants.deals.services import (
    delete_deal,
    get_deal,
    list_deals,
    mark_lost,
    mark_won,
    reopen_deal,
    stage_history,
)
from sampark.tenants.history.people import label, members
from sampark.tenants.history.services import record_history
from sampark.tenants.pipelines.queries import list_pipelines
from sampark.tenants.pipelines.schemas import PipelineView
from sampark.web.contacts.pagekit import (
    PAGE_SIZE,
    can,
    confirm_delete_page,
    delete_and_redirect,
    history_value,
)
from sampark.web.deps import CurrentTenant
from sampark.web.records.custom import detail_context
from sampark.web.records.listing import list_page_context, render_list
from sampark.web.rendering import flash, render

OUTCOMES = ("won", "lost", "reopen")


def stage_names(pipelines: list[PipelineView]) -> dict[str, str]:
    return {str(stage.id): stage.label for pipeline in pipelines for stage in pipeline.stages}


def deal_history_value(pipelines: list[PipelineView]) -> Any:
    """History values for display: stage and pipeline ids as names, statuses and reasons translated."""
    stages = stage_names(pipelines)
    names = {str(pipeline.id): pipeline.label for pipeline in pipelines}

    def show(field: str, value: str) -> str:
        if not value:
            return value
        if field == "stage_id":
            return stages.get(value, value)
        if field == "pipeline_id":
            return names.get(value, value)
        if field == "status":
            return status_label(value)
        if field == "lost_reason":
            return reason_label(value)
        return history_value(field, value)

    return show


class DealPagesController(Controller):
    path = "/deals"
    include_in_schema = False

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        cursor: Annotated[str | None, QueryParameter(max_length=500)] = None,
        sort: Annotated[str | None, QueryParameter(max_length=40)] = None,
        view: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> Response[str]:
        extras, context = await list_page_context(
            request,
            OBJECT,
            f"/t/{tenant.slug}/deals/",
            cursor=cursor,
            sort=sort,
            view=view,
            default_sort="-updated_at",
        )
        context.update(
            {
                "pipelines": await list_pipelines(),
                "status_label": status_label,
                "converted": None,
            }
        )

        async def load() -> dict[str, Any]:
            page = await list_deals(
                limit=PAGE_SIZE, cursor=cursor, sort=extras.sort, filters=extras.filters, fields=extras.fields
            )
            return {"page": page, "converted": await base_amounts(page.items)}

        return await render_list(request, "deals/index.html", context, load)

    @get("/{deal_id:int}")
    async def detail(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        deal_id: FromPath[int],
        history_before: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> Response[str]:
        deal = await get_deal(deal_id)
        if deal is None:
            raise NotFoundException()
        people = await members()
        pipelines = await list_pipelines()
        return render(
            request,
            "deals/detail.html",
            {
                "deal": deal,
                "owner": label(people, deal.owner_id) if deal.owner_id else "",
                "moves": await stage_history(deal.id),
                "mover": lambda user_id: label(people, user_id),
                "history": await record_history("deal", deal.id, before=history_before),
                "history_url": f"/t/{tenant.slug}/deals/{deal.id}",
                **await detail_context(OBJECT, deal_history_value(pipelines)),
                "status_label": status_label,
                "reason_label": reason_label,
                "can_edit": can(OBJECT, "edit", deal.owner_id),
                "can_delete": can(OBJECT, "delete", deal.owner_id),
            },
            block="history" if history_before else None,
        )

    @get("/{deal_id:int}/close")
    async def close_dialog(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        deal_id: FromPath[int],
        outcome: Annotated[str, QueryParameter(max_length=10)] = "won",
    ) -> Response[str]:
        deal = await get_deal(deal_id)
        if deal is None or outcome not in OUTCOMES:
            raise NotFoundException()
        require(OBJECT, "edit", deal.owner_id)  # 403 before showing a form that could not be saved
        return render(request, "deals/close.html", self._close_context(deal, outcome, {}))

    @staticmethod
    def _close_context(deal: Any, outcome: str, errors: dict[str, str], **extra: Any) -> dict[str, Any]:
        return {
            "deal": deal,
            "outcome": outcome,
            "errors": errors,
            "reasons": [(key, str(name)) for key, name in LOST_REASONS.items()],
            "stale": False,
            "lost_note": "",
            **extra,
        }

    @post("/{deal_id:int}/close")
    async def close(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, deal_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        outcome = str(form.get("outcome") or "")
        version_text = str(form.get("version") or "")
        version = int(version_text) if version_text.isdigit() else -1
        if outcome not in OUTCOMES:
            raise NotFoundException()
        try:
            if outcome == "won":
                deal = await mark_won(deal_id, expected_version=version)
            elif outcome == "lost":
                reason, note = str(form.get("lost_reason") or ""), str(form.get("lost_note") or "")
                deal = await mark_lost(deal_id, reason, note, expected_version=version)
            else:
                deal = await reopen_deal(deal_id, expected_version=version)
        except VersionConflict as stale:
            context = self._close_context(stale.current, outcome, {}, stale=True)
            return render(request, "deals/close.html", context, status_code=409)
        except DealError as problem:
            current = await get_deal(deal_id)
            context = self._close_context(
                current, outcome, problem.errors, lost_note=form.get("lost_note") or ""
            )
            return render(request, "deals/close.html", context, status_code=400)
        messages = {
            "won": _("%(name)s was marked as won.", name=deal.name),
            "lost": _("%(name)s was marked as lost.", name=deal.name),
            "reopen": _("%(name)s was reopened.", name=deal.name),
        }
        flash(request, messages[outcome], "success")
        return Redirect(path=f"/t/{tenant.slug}/deals/{deal.id}", status_code=303)

    @get("/{deal_id:int}/delete")
    async def confirm_delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, deal_id: FromPath[int]
    ) -> Response[str]:
        return confirm_delete_page(
            request, await get_deal(deal_id), obj=OBJECT, template="deals/delete.html", key="deal"
        )

    @post("/{deal_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, deal_id: FromPath[int]
    ) -> Response[Any]:
        return await delete_and_redirect(
            request,
            delete_deal,
            deal_id,
            template="deals/delete.html",
            key="deal",
            done=lambda deal: _("%(name)s was deleted.", name=deal.name),
            back=f"/t/{tenant.slug}/deals/",
        )
