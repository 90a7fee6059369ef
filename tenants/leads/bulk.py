"""Bulk actions on selected leads: assign an owner, add or remove a tag, delete, each lead through the
single-lead services (see ``tenants/records/bulk.py``). Converted leads are read-only: assigning or tagging
them is skipped as "invalid" (deleting them is allowed)."""

from __future__ import annotations

from sampark.platform.i18n import gettext as _
from sampark.tenants.leads.schemas import LeadConverted
from sampark.tenants.leads.services import OBJECT, delete_lead, get_lead, update_lead
from sampark.tenants.records.bulk import MAX_IDS, BulkTarget


def _messages() -> dict[str, str]:
    return {
        "none": _("Select at least one lead."),
        "too_many": _("Select at most %(limit)d leads at once.", limit=MAX_IDS),
        "bad": _("Select leads from the list."),
        "refused": _("You cannot give leads to this person."),
    }


LEAD_BULK = BulkTarget(
    OBJECT, ("assign", "tag", "untag", "delete"), get_lead, update_lead, delete_lead, _messages,
    invalid=(LeadConverted,),
)  # fmt: skip
