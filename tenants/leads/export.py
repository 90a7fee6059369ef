"""CSV export of the leads list (see ``tenants/records/export.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.tenants.leads.queries import COLUMNS, LIST_SPEC, OBJECT, masked, no_join
from sampark.tenants.leads.schemas import LeadView, lead_from_row
from sampark.tenants.leads.tables import Lead
from sampark.tenants.records.export import Export, OwnerLabel


def header() -> list[str]:
    return [
        _("ID"), _("First name"), _("Last name"), _("Company"), _("Job title"), _("Primary e-mail"),
        _("All e-mails"), _("Primary phone"), _("Website"), _("Source"), _("Status"), _("Owner"), _("Tags"),
        _("Created"), _("Updated"),
    ]  # fmt: skip


def cells(lead: LeadView, owner: OwnerLabel) -> Sequence[Any]:
    return (
        lead.id, lead.first_name, lead.last_name, lead.company_name, lead.title, lead.email,
        "; ".join(lead.emails), lead.phone, lead.website, lead.source, lead.status, owner(lead.owner_id),
        ", ".join(lead.tags), lead.created_at.isoformat(), lead.updated_at.isoformat(),
    )  # fmt: skip


LEAD_EXPORT = Export(
    OBJECT, "lead", Lead, "l", COLUMNS, no_join, LIST_SPEC, lambda row: masked(lead_from_row(row)), header,
    cells,
)  # fmt: skip
