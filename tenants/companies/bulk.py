"""Bulk actions on selected companies: assign an owner or delete (companies have no tags), each company through
the single-company services (see ``tenants/records/bulk.py``); deleting detaches contacts and subsidiaries as a
single delete does."""

from __future__ import annotations

from sampark.platform.i18n import gettext as _
from sampark.tenants.companies.services import OBJECT, delete_company, get_company, update_company
from sampark.tenants.records.bulk import MAX_IDS, BulkTarget


def _messages() -> dict[str, str]:
    return {
        "none": _("Select at least one company."),
        "too_many": _("Select at most %(limit)d companies at once.", limit=MAX_IDS),
        "bad": _("Select companies from the list."),
        "refused": _("You cannot give companies to this person."),
    }


COMPANY_BULK = BulkTarget(
    OBJECT, ("assign", "delete"), get_company, update_company, delete_company, _messages
)
