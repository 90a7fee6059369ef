"""Bulk actions on selected deals: assign an owner, move to a stage, delete, each deal through the single-deal
services (locked, checked, versioned, stage history kept and audited as a single edit or board move)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sampark.platform.i18n import gettext as _
from sampark.tenants.deals.schemas import DealView
from sampark.tenants.deals.services import OBJECT, delete_deal, get_deal, move_stage, update_deal
from sampark.tenants.pipelines.queries import list_pipelines
from sampark.tenants.records.bulk import (
    MAX_IDS,
    BulkError,
    BulkResult,
    change_each,
    delete_each,
    new_owner,
    selection,
)

__all__ = ["ACTIONS", "MAX_IDS", "BulkError", "BulkResult", "bulk_change"]

ACTIONS = ("assign", "move", "delete")


async def _stage_pipeline(stage_id: int | None) -> int:
    """The pipeline of the stage deals are to move to, checked once for the selection."""
    if stage_id is not None:
        for pipeline in await list_pipelines():
            if pipeline.stage(stage_id) is not None:
                return pipeline.id
    raise BulkError("invalid_stage", _("Choose a stage from the list."), "stage_id")


async def bulk_change(
    action: str,
    ids: Sequence[int],
    *,
    owner_id: int | None = None,
    stage_id: int | None = None,
    versions: Mapping[int, int] | None = None,
) -> BulkResult:
    """Apply ``action`` to each deal in ``ids`` the principal may change; report the rest as skipped.

    "move" moves deals within their own pipeline: a deal of another pipeline than the stage's is skipped as
    "invalid" (moving across pipelines is an edit of the deal, not a bulk move).

    Raises:
        BulkError: unknown action, no or more than ``MAX_IDS`` ids, a missing or refused owner or stage.
    """
    selected = selection(
        {
            "none": _("Select at least one deal."),
            "too_many": _("Select at most %(limit)d deals at once.", limit=MAX_IDS),
            "bad": _("Select deals from the list."),
        },
        ids, action, ACTIONS,
    )  # fmt: skip
    if action == "delete":
        return await delete_each(selected, delete_deal, versions=versions)
    if action == "assign":
        owner = await new_owner(
            OBJECT, owner_id, missing=_("Choose an owner from the list."),
            refused=_("You cannot give deals to this person."),
        )  # fmt: skip
        return await change_each(
            OBJECT, selected, get_deal, lambda _deal: {"owner_id": owner}, update_deal, versions=versions
        )
    pipeline_id = await _stage_pipeline(stage_id)
    assert stage_id is not None

    def move(deal: DealView) -> dict[str, int]:
        if deal.pipeline_id != pipeline_id:
            raise _OtherPipeline()
        return {"stage_id": stage_id} if deal.stage_id != stage_id else {}

    async def moved(deal_id: int, changes: Mapping[str, int], *, expected_version: int | None) -> DealView:
        return await move_stage(deal_id, changes["stage_id"], expected_version=expected_version)

    return await change_each(
        OBJECT, selected, get_deal, move, moved, versions=versions, invalid=(_OtherPipeline,)
    )


class _OtherPipeline(Exception):
    """The deal is in another pipeline than the stage it was to move to."""
