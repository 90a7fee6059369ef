"""Deal rules: checked, versioned and audited writes; stage moves that keep a history and follow the stage's
kind (a won/lost stage closes the deal, an open one reopens it). Reads are in ``queries`` (re-exported).

``create_deal`` is also the entry point lead conversion uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, Principal, current_principal, require
from sampark.tenants.access.services import Transferable, register_transferable
from sampark.tenants.audit.services import record_change
from sampark.tenants.companies.queries import get_company
from sampark.tenants.customfields.hooks import audit_values, custom_changes
from sampark.tenants.deals.fields import WRITABLE, clean_deal, clean_lost
from sampark.tenants.deals.queries import (
    MAX_PAGE_SIZE,
    OBJECT,
    count_deals,
    get_deal,
    list_deals,
    lost_per_stage,
    stage_history,
)
from sampark.tenants.deals.schemas import DealError, DealNotFound, DealPage, DealView, VersionConflict
from sampark.tenants.deals.tables import Deal
from sampark.tenants.pipelines.queries import default_pipeline, get_pipeline
from sampark.tenants.pipelines.schemas import PipelineView, StageView
from sampark.tenants.records.links import record_deleted
from sampark.tenants.records.owners import check_owner
from sampark.tenants.records.queries import owner_scope
from sampark.tenants.search.db import fetch, fetchval
from sampark.tenants.search.listing import Sql
from sampark.tenants.settings.services import effective_region_settings

__all__ = [
    "MAX_PAGE_SIZE", "DealError", "DealNotFound", "DealPage", "DealView", "VersionConflict", "count_deals",
    "create_deal", "delete_deal", "get_deal", "list_deals", "lost_per_stage", "mark_lost", "mark_won",
    "move_stage", "reopen_deal", "stage_history", "update_deal",
]  # fmt: skip

AUDIT_TYPE = "deal"
_COLUMNS = (
    "name", "amount", "currency", "expected_close_date", "owner_id", "pipeline_id", "stage_id", "company_id",
    "status", "lost_reason", "lost_note", "closed_at",
)  # fmt: skip


def snapshot(view: DealView) -> dict[str, Any]:
    """The audited form of a deal (amounts and dates as text, ids as ids)."""
    return {
        "name": view.name,
        "amount": str(view.amount),
        "currency": view.currency,
        "expected_close_date": view.expected_close_date.isoformat() if view.expected_close_date else None,
        "owner_id": view.owner_id,
        "pipeline_id": view.pipeline_id,
        "stage_id": view.stage_id,
        "company_id": view.company_id,
        "contact_ids": ", ".join(str(id_) for id_ in view.contact_ids),
        "status": view.status,
        "lost_reason": view.lost_reason,
        "lost_note": view.lost_note,
        **audit_values(view.custom),
    }


def _entering(stage: StageView, current: DealView | None, reason: str = "", note: str = "") -> dict[str, Any]:
    """The columns a move into ``stage`` sets: the status follows the stage's kind."""
    closing = stage.kind in ("won", "lost")
    kept_closed = current is not None and current.status == stage.kind and current.closed_at is not None
    return {
        "pipeline_id": stage.pipeline_id,
        "stage_id": stage.id,
        "status": stage.kind,
        "closed_at": (current.closed_at if kept_closed and current else datetime.now(UTC))
        if closing
        else None,
        "lost_reason": reason if stage.kind == "lost" else "",
        "lost_note": note if stage.kind == "lost" else "",
    }


async def _check_links(clean: Mapping[str, Any], principal: Principal, errors: dict[str, str]) -> None:
    company_id = clean.get("company_id")
    if company_id is not None:
        try:
            visible = await get_company(company_id) is not None
        except PermissionDenied:
            visible = False
        if not visible:
            errors["company_id"] = _("Choose a company from the list.")
    contact_ids = clean.get("contact_ids") or []
    if contact_ids:
        sql = Sql()
        sql.where(f"c.id = ANY({sql.bind(contact_ids)}::bigint[])")
        try:
            owner_scope(sql, "contacts", "c")
            found = await fetchval(Deal, f"SELECT count(*) FROM contacts c {sql.where_sql()}", *sql.params)
        except PermissionDenied:
            found = 0
        if found != len(contact_ids):
            errors["contact_ids"] = _("Choose contacts from the list.")
    await check_owner(OBJECT, clean, principal, errors, _("You cannot give deals to this person."))


async def _target_stage(
    clean: Mapping[str, Any], errors: dict[str, str], current: DealView | None = None
) -> tuple[PipelineView | None, StageView | None]:
    """The pipeline and stage asked for: defaults are the current (or default) pipeline and its first stage."""
    pipeline_id = clean.get("pipeline_id") or (current.pipeline_id if current else None)
    pipeline = await (get_pipeline(pipeline_id) if pipeline_id else default_pipeline())
    if pipeline is None:
        errors["pipeline_id"] = _("Choose a pipeline from the list.")
        return None, None
    stage_id = clean.get("stage_id")
    if stage_id is None and current is not None and current.pipeline_id == pipeline.id:
        stage_id = current.stage_id
    stage = (
        pipeline.stage(stage_id)
        if stage_id is not None
        else (pipeline.first_of("open") or pipeline.stages[0])
    )
    if stage is None:
        errors["stage_id"] = _("Choose a stage of this pipeline.")
    return pipeline, stage


async def _save_contacts(deal_id: int, contact_ids: list[int]) -> None:
    await fetch(
        Deal,
        "DELETE FROM deal_contacts WHERE deal_id = $1 AND NOT contact_id = ANY($2::bigint[])",
        deal_id,
        contact_ids,
    )
    await fetch(
        Deal,
        "INSERT INTO deal_contacts (deal_id, contact_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
        deal_id, contact_ids,
    )  # fmt: skip


async def _moved(deal_id: int, from_stage: int | None, to_stage: int, principal: Principal) -> None:
    await fetch(
        Deal,
        "INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, moved_by) VALUES ($1, $2, $3, $4)",
        deal_id, from_stage, to_stage, principal.user_id,
    )  # fmt: skip


async def _reread(deal_id: int) -> DealView:
    deal = await get_deal(deal_id, scoped=False)
    assert deal is not None
    return deal


async def create_deal(data: Mapping[str, Any]) -> DealView:
    """Create a deal (owned by the acting user unless ``owner_id`` says otherwise) and audit it.

    Keys: ``name``, ``amount``, ``currency`` (default: the tenant region's currency), ``pipeline_id`` and
    ``stage_id`` (default: the default pipeline and its first open stage), ``company_id``, ``contact_ids``,
    ``owner_id``, ``expected_close_date`` (a date or ISO text).

    Raises:
        PermissionDenied: the principal may not create deals.
        DealError: with a message per invalid field.
    """
    principal = require(OBJECT, "create", record=False)
    wanted = {"name": "", "amount": "0", **{key: value for key, value in data.items() if key in WRITABLE}}
    if not wanted.get("currency"):
        wanted["currency"] = (await effective_region_settings()).default_currency
    clean, errors = clean_deal(wanted)
    if clean.get("owner_id") is None:
        clean["owner_id"] = principal.user_id
    await _check_links(clean, principal, errors)
    _pipeline, stage = await _target_stage(clean, errors)
    custom = await custom_changes(OBJECT, data, None, errors)
    if errors or stage is None:
        raise DealError(errors)
    contact_ids = clean.pop("contact_ids", [])
    values = {**{k: v for k, v in clean.items() if k in _COLUMNS}, **_entering(stage, None), "custom": custom}
    names = list(values)
    placeholders = ", ".join(f"${index}" for index in range(1, len(names) + 1))
    deal_id = await fetchval(
        Deal, f"INSERT INTO deals ({', '.join(names)}) VALUES ({placeholders}) RETURNING id", *values.values()
    )
    if contact_ids:
        await _save_contacts(deal_id, contact_ids)
    await _moved(deal_id, None, stage.id, principal)
    deal = await _reread(deal_id)
    after = {name: value for name, value in snapshot(deal).items() if value not in ("", None)}
    await record_change("create", AUDIT_TYPE, deal_id, actor_user_id=principal.user_id, after=after)
    return deal


async def _locked(deal_id: int, action: str, expected_version: int | None) -> tuple[Principal, DealView]:
    current = await get_deal(deal_id, lock=True)
    if current is None:
        raise DealNotFound(deal_id)
    principal = require(OBJECT, action, owner_id=current.owner_id)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    return principal, current


async def _apply(
    current: DealView, principal: Principal, columns: Mapping[str, Any], contact_ids: list[int] | None = None
) -> DealView:
    """Write changed columns (and contacts), bump the version, record a stage move, audit the change."""
    changed = {name: value for name, value in columns.items() if getattr(current, name) != value}
    contacts_changed = contact_ids is not None and contact_ids != sorted(current.contact_ids)
    if not changed and not contacts_changed:
        return current
    sets = ", ".join(f"{name} = ${index}" for index, name in enumerate(changed, start=2))
    await fetch(
        Deal,
        f"UPDATE deals SET {sets + ', ' if sets else ''}version = version + 1, updated_at = now() WHERE id = $1",
        current.id, *changed.values(),
    )  # fmt: skip
    if contacts_changed and contact_ids is not None:
        await _save_contacts(current.id, contact_ids)
    if "stage_id" in changed:
        await _moved(current.id, current.stage_id, changed["stage_id"], principal)
    deal = await _reread(current.id)
    await record_change(
        "update",
        AUDIT_TYPE,
        deal.id,
        actor_user_id=principal.user_id,
        before=snapshot(current),
        after=snapshot(deal),
    )
    return deal


async def update_deal(deal_id: int, changes: Mapping[str, Any], *, expected_version: int | None) -> DealView:
    """Change the given fields if the deal is still at ``expected_version`` (None: skip that check).

    A new ``stage_id``/``pipeline_id`` moves the deal like ``move_stage`` (history, status).

    Raises:
        DealNotFound, PermissionDenied, VersionConflict, DealError.
    """
    principal, current = await _locked(deal_id, "edit", expected_version)
    wanted = {name: value for name, value in changes.items() if name in WRITABLE}
    if "amount" in wanted and "currency" not in wanted:
        wanted["currency"] = current.currency
    clean, errors = clean_deal(wanted)
    if "name" in clean and not clean["name"]:
        errors["name"] = _("Enter a name for the deal.")
    if "owner_id" in clean and clean["owner_id"] is None:
        del clean["owner_id"]  # blank means unchanged
    await _check_links(
        {name: value for name, value in clean.items() if name != "owner_id" or value != current.owner_id},
        principal, errors,
    )  # fmt: skip
    columns = {
        name: value
        for name, value in clean.items()
        if name in _COLUMNS and name not in ("pipeline_id", "stage_id")
    }
    if "pipeline_id" in clean or "stage_id" in clean:
        _pipeline, stage = await _target_stage(clean, errors, current)
        if stage is not None and stage.id != current.stage_id:
            columns.update(_entering(stage, current, current.lost_reason, current.lost_note))
    custom = await custom_changes(OBJECT, changes, current.custom, errors)
    if custom is not None:
        columns["custom"] = custom  # JSON text; the merge already left out unchanged values
    if errors:
        raise DealError(errors)
    return await _apply(current, principal, columns, clean.get("contact_ids"))


async def move_stage(
    deal_id: int, stage_id: int, *, expected_version: int | None, lost_reason: str = "", lost_note: str = ""
) -> DealView:
    """Move a deal to another stage of its pipeline (board, "Move to…", API); history and status follow.

    Raises:
        DealNotFound, PermissionDenied, VersionConflict, DealError (not a stage of this pipeline).
    """
    principal, current = await _locked(deal_id, "edit", expected_version)
    pipeline = await get_pipeline(current.pipeline_id)
    stage = pipeline.stage(stage_id) if pipeline else None
    if stage is None:
        raise DealError({"stage_id": _("Choose a stage of this pipeline.")})
    if stage.id == current.stage_id:
        return current
    return await _apply(current, principal, _entering(stage, current, lost_reason, lost_note))


async def _close(
    deal_id: int, kind: str, expected_version: int | None, reason: str = "", note: str = ""
) -> DealView:
    principal, current = await _locked(deal_id, "edit", expected_version)
    pipeline = await get_pipeline(current.pipeline_id)
    stage = pipeline.first_of(kind) if pipeline else None
    if stage is not None:
        columns = _entering(stage, current, reason, note)
        if stage.id == current.stage_id:  # already there: only the reason may change
            columns = {"lost_reason": reason, "lost_note": note} if kind == "lost" else {}
    else:  # a pipeline without a won/lost stage: the deal stays where it is, closed
        closed_at = current.closed_at if current.status == kind and current.closed_at else datetime.now(UTC)
        columns = {"status": kind, "closed_at": closed_at, "lost_reason": reason, "lost_note": note}
    return await _apply(current, principal, columns)


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
    principal, current = await _locked(deal_id, "edit", expected_version)
    if current.status == "open":
        return current
    pipeline = await get_pipeline(current.pipeline_id)
    assert pipeline is not None
    if current.stage_kind == "open":
        return await _apply(
            current, principal, {"status": "open", "closed_at": None, "lost_reason": "", "lost_note": ""}
        )
    history = await stage_history(current.id)
    came_from = next((move.from_stage_id for move in history if move.to_stage_id == current.stage_id), None)
    stage = pipeline.stage(came_from)
    if stage is None or stage.kind != "open":
        stage = pipeline.first_of("open")
    if stage is None:
        raise DealError({"stage_id": _("This pipeline has no open stage to reopen the deal in.")})
    return await _apply(current, principal, _entering(stage, current))


async def delete_deal(deal_id: int, *, expected_version: int | None) -> DealView:
    """Delete the deal with its contact links and stage history (the audit log keeps what it was).

    Raises:
        DealNotFound, PermissionDenied, VersionConflict.
    """
    principal, current = await _locked(deal_id, "delete", expected_version)
    await record_deleted(AUDIT_TYPE, deal_id)
    await fetch(Deal, "DELETE FROM deals WHERE id = $1", deal_id)
    await record_change(
        "delete", AUDIT_TYPE, deal_id, actor_user_id=principal.user_id, before=snapshot(current)
    )
    return current


# A member who leaves hands over their open deals; won and lost ones keep who closed them.
register_transferable(Transferable("deals", "deal", Deal, only="status = 'open'"))
