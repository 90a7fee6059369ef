"""CSV export of the companies list (see ``tenants/records/export.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.tenants.companies.queries import COLUMNS, LIST_SPEC, OBJECT, parent_join
from sampark.tenants.companies.schemas import CompanyView, company_from_row
from sampark.tenants.companies.tables import Company
from sampark.tenants.records.export import Export, OwnerLabel


def header() -> list[str]:
    return [
        _("ID"), _("Name"), _("Domain"), _("Industry"), _("Size"), _("Parent company"), _("Owner"),
        _("Created"), _("Updated"),
    ]  # fmt: skip


def cells(company: CompanyView, owner: OwnerLabel) -> Sequence[Any]:
    return (
        company.id, company.name, company.domain, company.industry, company.size, company.parent_name or "",
        owner(company.owner_id), company.created_at.isoformat(), company.updated_at.isoformat(),
    )  # fmt: skip


COMPANY_EXPORT = Export(
    OBJECT, "company", Company, "co", COLUMNS, parent_join, LIST_SPEC, company_from_row, header, cells
)
