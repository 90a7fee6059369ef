"""Bulk actions on selected leads: assign an owner, add or remove a tag, delete, each lead through the
single-lead services (locked, checked, versioned and audited as a single edit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sampark.platform.i18n import gettext as _
from sampark.tenants.leads.schemas import LeadConverted
from sampark.tenants.leads.services import OBJECT, delete_lead, get_lead, update_lead
from sampark.tenants.records.bulk import (
    MAX_IDS,
    BulkError,
    BulkResult,
    bulk_tag,
    change_each,
    delete_each,
    new_owner,
    selection,
    tag_changes,
)

__all__ = ["ACTIONS", "MAX_IDS", "BulkError", "BulkResult", "bulk_change"]

ACTIONS = ("assign", "tag", "untag", "delete")


async def bulk_change(
    action: str,
    ids: Sequence[int],
    *,
    owner_id: int | None = None,
    tag: str | None = None,
    versions: Mapping[int, int] | None = None,
) -> BulkResult:
    """Apply ``action`` to each lead in ``ids`` the principal may change; report the rest as skipped.

    Converted leads are read-only: assigning or tagging them is skipped as "invalid" (deleting is allowed).

    Raises:
        BulkError: unknown action, no or more than ``MAX_IDS`` ids, a missing or refused owner or tag.
    """
    selected = selection(
        {
            "none": _("Select at least one lead."),
            "too_many": _("Select at most %(limit)d leads at once.", limit=MAX_IDS),
            "bad": _("Select leads from the list."),
        },
        ids, action, ACTIONS,
    )  # fmt: skip
    if action == "delete":
        return await delete_each(selected, delete_lead, versions=versions)
    if action == "assign":
        owner = await new_owner(
            OBJECT,
            owner_id,
            missing=_("Choose an owner from the list."),
            refused=_("You cannot give leads to this person."),
        )
        return await change_each(
            OBJECT, selected, get_lead, lambda _lead: {"owner_id": owner}, update_lead, versions=versions,
            invalid=(LeadConverted,),
        )  # fmt: skip
    label = bulk_tag(tag)
    return await change_each(
        OBJECT, selected, get_lead, lambda lead: tag_changes(action, lead.tags, label), update_lead,
        versions=versions, invalid=(LeadConverted,),
    )  # fmt: skip
