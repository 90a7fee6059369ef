"""CSV export of the contacts list (see ``tenants/records/export.py`` for how every list is exported)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.tenants.contacts.queries import COLUMNS, LIST_SPEC, OBJECT, company_join, masked
from sampark.tenants.contacts.schemas import ContactView, contact_from_row
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.records.export import Export, OwnerLabel


def header() -> list[str]:
    return [
        _("ID"), _("First name"), _("Last name"), _("Primary e-mail"), _("All e-mails"), _("Primary phone"),
        _("Company"), _("Owner"), _("Lifecycle stage"), _("Tags"), _("Created"), _("Updated"),
    ]  # fmt: skip


def cells(contact: ContactView, owner: OwnerLabel) -> Sequence[Any]:
    return (
        contact.id, contact.first_name, contact.last_name, contact.email, "; ".join(contact.emails),
        contact.phone, contact.company_name or "", owner(contact.owner_id), contact.lifecycle_stage,
        ", ".join(contact.tags), contact.created_at.isoformat(), contact.updated_at.isoformat(),
    )  # fmt: skip


CONTACT_EXPORT = Export(
    OBJECT, "contact", Contact, "c", COLUMNS, company_join, LIST_SPEC,
    lambda row: masked(contact_from_row(row)), header, cells,
)  # fmt: skip
