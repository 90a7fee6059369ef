"""The write steps every deal change shares: lock and check, apply and audit, record a stage move."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sampark.platform.db.sql import fetch
from sampark.tenants.access.policy import Principal, require
from sampark.tenants.audit.services import record_change
from sampark.tenants.customfields.hooks import audit_values
from sampark.tenants.deals.queries import OBJECT, get_deal
from sampark.tenants.deals.schemas import DealNotFound, DealView, VersionConflict
from sampark.tenants.deals.tables import Deal
from sampark.tenants.pipelines.schemas import StageView

AUDIT_TYPE = "deal"


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


def entering(stage: StageView, current: DealView | None, reason: str = "", note: str = "") -> dict[str, Any]:
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


async def save_contacts(deal_id: int, contact_ids: list[int]) -> None:
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


async def record_move(deal_id: int, from_stage: int | None, to_stage: int, principal: Principal) -> None:
    await fetch(
        Deal,
        "INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, moved_by) VALUES ($1, $2, $3, $4)",
        deal_id, from_stage, to_stage, principal.user_id,
    )  # fmt: skip


async def reread(deal_id: int) -> DealView:
    deal = await get_deal(deal_id, scoped=False)
    assert deal is not None
    return deal


async def locked(deal_id: int, action: str, expected_version: int | None) -> tuple[Principal, DealView]:
    current = await get_deal(deal_id, lock=True)
    if current is None:
        raise DealNotFound(deal_id)
    principal = require(OBJECT, action, owner_id=current.owner_id)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    return principal, current


async def apply_changes(
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
        await save_contacts(current.id, contact_ids)
    if "stage_id" in changed:
        await record_move(current.id, current.stage_id, changed["stage_id"], principal)
    deal = await reread(current.id)
    await record_change(
        "update",
        AUDIT_TYPE,
        deal.id,
        actor_user_id=principal.user_id,
        before=snapshot(current),
        after=snapshot(deal),
    )
    return deal
