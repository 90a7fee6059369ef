"""Bulk actions on selected leads: assign an owner or delete, each lead through the single-lead services."""

from __future__ import annotations

from collections.abc import Sequence

from sampark.platform.i18n import gettext as _
from sampark.tenants.leads.schemas import LeadConverted
from sampark.tenants.leads.services import OBJECT, delete_lead, update_lead
from sampark.tenants.records.bulk import MAX_IDS, BulkError, BulkResult, apply_each, new_owner, selected_ids

ACTIONS = ("assign", "delete")


async def bulk_change(action: str, ids: Sequence[int], *, owner_id: int | None = None) -> BulkResult:
    """Apply ``action`` to each lead in ``ids`` the principal may change; report the rest as skipped.

    Converted leads are read-only: assigning them is skipped as "invalid" (deleting them is allowed).

    Raises:
        BulkError: unknown action, no or more than ``MAX_IDS`` ids, a missing or refused owner.
    """
    if action not in ACTIONS:
        raise BulkError("bad_request", _("Choose an action from the list."), "action")
    selected = selected_ids(
        ids,
        none=_("Select at least one lead."),
        too_many=_("Select at most %(limit)d leads at once.", limit=MAX_IDS),
        bad=_("Select leads from the list."),
    )
    if action == "delete":
        return await apply_each(selected, _delete)
    owner = await new_owner(
        OBJECT,
        owner_id,
        missing=_("Choose an owner from the list."),
        refused=_("You cannot give leads to this person."),
    )

    async def assign(lead_id: int) -> str:
        before = await update_lead(lead_id, {}, expected_version=None)
        after = await update_lead(lead_id, {"owner_id": owner}, expected_version=None)
        return "" if after.version != before.version else "unchanged"

    return await apply_each(selected, assign, invalid=(LeadConverted,))


async def _delete(lead_id: int) -> str:
    await delete_lead(lead_id, expected_version=None)
    return ""
