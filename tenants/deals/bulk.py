"""Bulk actions on selected deals: assign an owner, move to a stage, delete, each deal through the single-deal
services (see ``tenants/records/bulk.py``), so stage moves keep their history and status like a board move."""

from __future__ import annotations

from collections.abc import Mapping

from sampark.platform.i18n import gettext as _
from sampark.tenants.deals.schemas import DealView
from sampark.tenants.deals.services import OBJECT, delete_deal, get_deal, move_stage, update_deal
from sampark.tenants.pipelines.queries import list_pipelines
from sampark.tenants.records.bulk import MAX_IDS, BulkError, BulkOptions, BulkResult, BulkTarget, change_each


class _OtherPipeline(Exception):
    """The deal is in another pipeline than the stage it was to move to."""


async def _move(ids: list[int], options: BulkOptions) -> BulkResult:
    """Move deals to ``options.stage_id`` within their own pipeline: a deal of another pipeline is skipped as
    "invalid" (moving across pipelines is an edit of the deal, not a bulk move)."""
    stage_id = options.stage_id
    pipelines = [
        p.id for p in await list_pipelines() if stage_id is not None and p.stage(stage_id) is not None
    ]
    if stage_id is None or not pipelines:
        raise BulkError("invalid_stage", _("Choose a stage from the list."), "stage_id")

    def changes(deal: DealView) -> dict[str, int]:
        if deal.pipeline_id != pipelines[0]:
            raise _OtherPipeline()
        return {"stage_id": stage_id} if deal.stage_id != stage_id else {}

    async def moved(deal_id: int, wanted: Mapping[str, int], *, expected_version: int | None) -> DealView:
        return await move_stage(deal_id, wanted["stage_id"], expected_version=expected_version)

    return await change_each(
        OBJECT, ids, get_deal, changes, moved, versions=options.versions, invalid=(_OtherPipeline,)
    )


def _messages() -> dict[str, str]:
    return {
        "none": _("Select at least one deal."),
        "too_many": _("Select at most %(limit)d deals at once.", limit=MAX_IDS),
        "bad": _("Select deals from the list."),
        "refused": _("You cannot give deals to this person."),
    }


DEAL_BULK = BulkTarget(
    OBJECT, ("assign", "move", "delete"), get_deal, update_deal, delete_deal, _messages, more={"move": _move}
)
