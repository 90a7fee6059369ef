"""Bulk actions on selected leads (assign, tag, untag, delete): the list's form and ``POST /api/v1/leads/bulk``,
built by ``web/records/bulk.py`` from the rules in ``tenants/leads/bulk.py``."""

from __future__ import annotations

from sampark.platform.i18n import gettext as _
from sampark.tenants.leads.bulk import LEAD_BULK
from sampark.web.records.bulk import BulkPage, bulk_controllers

LeadBulkPagesController, LeadBulkApiController = bulk_controllers(
    BulkPage(
        "leads",
        lambda: _("Leads"),
        lambda: _("Delete the selected leads?"),
        lambda: _("Leads selected: %(count)d"),
        lambda count: _("Leads changed: %(count)d.", count=count),
        "Apply `action` (assign with `owner_id`, tag/untag with `tag`, delete) to up to 500 leads in one"
        " transaction; leads the caller may not change (or converted ones, except for delete) are listed in"
        " `skipped`.",
    ),
    LEAD_BULK,
)
