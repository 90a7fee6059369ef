"""Bulk actions on selected deals (assign, move to a stage, delete): the list's form and
``POST /api/v1/deals/bulk``, built by ``web/records/bulk.py`` from the rules in ``tenants/deals/bulk.py``."""

from __future__ import annotations

from sampark.platform.i18n import gettext as _
from sampark.tenants.deals.bulk import DEAL_BULK
from sampark.web.records.bulk import BulkPage, bulk_controllers

DealBulkPagesController, DealBulkApiController = bulk_controllers(
    BulkPage(
        "deals",
        lambda: _("Deals"),
        lambda: _("Delete the selected deals?"),
        lambda: _("Deals selected: %(count)s"),
        lambda count: _("Deals changed: %(count)d.", count=count),
        "Apply `action` (assign with `owner_id`, move with `stage_id` within each deal's pipeline, or delete)"
        " to up to 500 deals in one transaction; deals the caller may not change are listed in `skipped` with a"
        " reason. 422 for a refused owner or an unknown stage.",
    ),
    DEAL_BULK,
)
