"""Stage moves: the board's drag, "Move to…", won, lost and reopen. History and status follow the stage's kind
(a won/lost stage closes the deal, an open one reopens it)."""

from __future__ import annotations

from datetime import UTC, datetime

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import current_principal
from sampark.tenants.deals.fields import clean_lost
from sampark.tenants.deals.queries import OBJECT, stage_history
from sampark.tenants.deals.schemas import DealError, DealView
from sampark.tenants.deals.writes import apply_changes, entering, locked
from sampark.tenants.pipelines.queries import get_pipeline


async def move_stage(
    deal_id: int, stage_id: int, *, expected_version: int | None, lost_reason: str = "", lost_note: str = ""
) -> DealView:
    """Move a deal to another stage of its pipeline (board, "Move to…", API); history and status follow.

    Raises:
        DealNotFound, PermissionDenied, VersionConflict, DealError (not a stage of this pipeline).
    """
    principal, current = await locked(deal_id, "edit", expected_version)
    pipeline = await get_pipeline(current.pipeline_id)
    stage = pipeline.stage(stage_id) if pipeline else None
    if stage is None:
        raise DealError({"stage_id": _("Choose a stage of this pipeline.")})
    if stage.id == current.stage_id:
        return current
    return await apply_changes(current, principal, entering(stage, current, lost_reason, lost_note))


async def _close(
    deal_id: int, kind: str, expected_version: int | None, reason: str = "", note: str = ""
) -> DealView:
    principal, current = await locked(deal_id, "edit", expected_version)
    pipeline = await get_pipeline(current.pipeline_id)
    stage = pipeline.first_of(kind) if pipeline else None
    if stage is not None:
        columns = entering(stage, current, reason, note)
        if stage.id == current.stage_id:  # already there: only the reason may change
            columns = {"lost_reason": reason, "lost_note": note} if kind == "lost" else {}
    else:  # a pipeline without a won/lost stage: the deal stays where it is, closed
        closed_at = current.closed_at if current.status == kind and current.closed_at else datetime.now(UTC)
        columns = {"status": kind, "closed_at": closed_at, "lost_reason": reason, "lost_note": note}
    return await apply_changes(current, principal, columns)


async def mark_won(deal_id: int, *, expected_version: int | None) -> DealView:
    """Win the deal: it moves to its pipeline's first "won" stage (or is closed in place when there is none)."""
    return await _close(deal_id, "won", expected_version)


async def mark_lost(deal_id: int, reason: str, note: str = "", *, expected_version: int | None) -> DealView:
    """Lose the deal with a reason from the list and an optional note; it moves to the first "lost" stage.

    Raises:
        DealError: no reason, an unknown one, or a note over 500 characters.
    """
    reason, note, errors = clean_lost(reason, note)
    if errors:
        raise DealError(errors)
    if "lost_note" in current_principal().hidden(OBJECT):
        note = ""  # a role that may not read the note does not write one either (as for contacts' phones)
    return await _close(deal_id, "lost", expected_version, reason, note)


async def reopen_deal(deal_id: int, *, expected_version: int | None) -> DealView:
    """Reopen a won or lost deal: back to the open stage it came from (else the first open stage)."""
    principal, current = await locked(deal_id, "edit", expected_version)
    if current.status == "open":
        return current
    pipeline = await get_pipeline(current.pipeline_id)
    assert pipeline is not None
    if current.stage_kind == "open":
        return await apply_changes(
            current, principal, {"status": "open", "closed_at": None, "lost_reason": "", "lost_note": ""}
        )
    history = await stage_history(current.id)
    came_from = next((move.from_stage_id for move in history if move.to_stage_id == current.stage_id), None)
    stage = pipeline.stage(came_from)
    if stage is None or stage.kind != "open":
        stage = pipeline.first_of("open")
    if stage is None:
        raise DealError({"stage_id": _("This pipeline has no open stage to reopen the deal in.")})
    return await apply_changes(current, principal, entering(stage, current))
