"""Bulk actions on selected companies (assign, delete): the list's form and ``POST /api/v1/companies/bulk``,
built by ``web/records/bulk.py`` from the rules in ``tenants/companies/bulk.py``."""

from __future__ import annotations

from sampark.platform.i18n import gettext as _
from sampark.tenants.companies.bulk import COMPANY_BULK
from sampark.web.records.bulk import BulkPage, bulk_controllers

CompanyBulkPagesController, CompanyBulkApiController = bulk_controllers(
    BulkPage(
        "companies",
        lambda: _("Companies"),
        lambda: _("Delete the selected companies?"),
        lambda: _("Companies selected: %(count)s"),
        lambda count: _("Companies changed: %(count)d.", count=count),
        "Apply `action` (assign with `owner_id`, or delete) to up to 500 companies in one transaction;"
        " companies the caller may not change are listed in `skipped` with a reason.",
    ),
    COMPANY_BULK,
)
