"""Deal rules: checked, versioned and audited creates, edits and deletes. Reads are in ``queries`` and stage
moves in ``stages`` (both re-exported).

``create_deal`` is also the entry point lead conversion uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sampark.platform.db.sql import fetch, fetchval
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, Principal, require
from sampark.tenants.access.services import Transferable, register_transferable
from sampark.tenants.audit.services import record_change
from sampark.tenants.companies.queries import get_company
from sampark.tenants.customfields.hooks import custom_changes
from sampark.tenants.deals.fields import WRITABLE, clean_deal
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
from sampark.tenants.deals.stages import mark_lost, mark_won, move_stage, reopen_deal
from sampark.tenants.deals.tables import Deal
from sampark.tenants.deals.writes import (
    AUDIT_TYPE,
    apply_changes,
    entering,
    locked,
    record_move,
    reread,
    save_contacts,
    snapshot,
)
from sampark.tenants.pipelines.queries import get_pipeline, member_default_pipeline, pipeline_of_stage
from sampark.tenants.pipelines.schemas import PipelineView, StageView
from sampark.tenants.records.links import record_deleted
from sampark.tenants.records.owners import check_owner
from sampark.tenants.records.queries import owner_scope
from sampark.tenants.search.listing import Sql
from sampark.tenants.settings.services import effective_region_settings

__all__ = [
    "MAX_PAGE_SIZE", "DealError", "DealNotFound", "DealPage", "DealView", "VersionConflict", "count_deals",
    "create_deal", "delete_deal", "get_deal", "list_deals", "lost_per_stage", "mark_lost", "mark_won",
    "move_stage", "reopen_deal", "stage_history", "update_deal",
]  # fmt: skip

_COLUMNS = (
    "name", "amount", "currency", "expected_close_date", "owner_id", "pipeline_id", "stage_id", "company_id",
    "status", "lost_reason", "lost_note", "closed_at",
)  # fmt: skip


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
    """The pipeline and stage asked for. Defaults: the current pipeline; for a new deal the pipeline of the
    stage asked for, else the member's default pipeline (their team's, else the tenant's); its first open
    stage."""
    pipeline_id = clean.get("pipeline_id") or (current.pipeline_id if current else None)
    stage_id = clean.get("stage_id")
    if pipeline_id:
        pipeline = await get_pipeline(pipeline_id)
    elif stage_id is not None:
        # A new deal's stage names its pipeline (the lead conversion form sends only the stage).
        pipeline = await pipeline_of_stage(stage_id) if 0 < stage_id < 2**63 else None
        if pipeline is None:
            errors["stage_id"] = _("Choose a stage of this pipeline.")
            return None, None
    else:
        pipeline = await member_default_pipeline()
    if pipeline is None:
        errors["pipeline_id"] = _("Choose a pipeline from the list.")
        return None, None
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


async def create_deal(data: Mapping[str, Any]) -> DealView:
    """Create a deal (owned by the acting user unless ``owner_id`` says otherwise) and audit it.

    Keys: ``name``, ``amount``, ``currency`` (default: the tenant region's currency), ``pipeline_id`` and
    ``stage_id`` (default: the stage's pipeline, else the member's default pipeline, see
    ``member_default_pipeline``, and its first open stage), ``company_id``, ``contact_ids``,
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
    values = {**{k: v for k, v in clean.items() if k in _COLUMNS}, **entering(stage, None), "custom": custom}
    names = list(values)
    placeholders = ", ".join(f"${index}" for index in range(1, len(names) + 1))
    deal_id = await fetchval(
        Deal, f"INSERT INTO deals ({', '.join(names)}) VALUES ({placeholders}) RETURNING id", *values.values()
    )
    if contact_ids:
        await save_contacts(deal_id, contact_ids)
    await record_move(deal_id, None, stage.id, principal)
    deal = await reread(deal_id)
    after = {name: value for name, value in snapshot(deal).items() if value not in ("", None)}
    await record_change("create", AUDIT_TYPE, deal_id, actor_user_id=principal.user_id, after=after)
    return deal


async def update_deal(deal_id: int, changes: Mapping[str, Any], *, expected_version: int | None) -> DealView:
    """Change the given fields if the deal is still at ``expected_version`` (None: skip that check).

    A new ``stage_id``/``pipeline_id`` moves the deal like ``move_stage`` (history, status).

    Raises:
        DealNotFound, PermissionDenied, VersionConflict, DealError.
    """
    principal, current = await locked(deal_id, "edit", expected_version)
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
            columns.update(entering(stage, current, current.lost_reason, current.lost_note))
    custom = await custom_changes(OBJECT, changes, current.custom, errors)
    if custom is not None:
        columns["custom"] = custom  # JSON text; the merge already left out unchanged values
    if errors:
        raise DealError(errors)
    return await apply_changes(current, principal, columns, clean.get("contact_ids"))


async def delete_deal(deal_id: int, *, expected_version: int | None) -> DealView:
    """Delete the deal with its contact links and stage history (the audit log keeps what it was).

    Raises:
        DealNotFound, PermissionDenied, VersionConflict.
    """
    principal, current = await locked(deal_id, "delete", expected_version)
    await record_deleted(AUDIT_TYPE, deal_id)
    await fetch(Deal, "DELETE FROM deals WHERE id = $1", deal_id)
    await record_change(
        "delete", AUDIT_TYPE, deal_id, actor_user_id=principal.user_id, before=snapshot(current)
    )
    return current


# A member who leaves hands over their open deals; won and lost ones keep who closed them.
register_transferable(Transferable("deals", "deal", Deal, only="status = 'open'"))
