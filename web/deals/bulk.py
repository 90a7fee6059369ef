"""Bulk actions on selected deals (assign, move to a stage, delete): the list's form and
``POST /api/v1/deals/bulk``, through the shared handlers in ``web/records/bulk.py``; the rules live in
``tenants/deals/bulk.py``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.params import JSONBody

from sampark.platform.i18n import gettext as _
from sampark.tenants.deals.bulk import MAX_IDS, bulk_change
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS
from sampark.web.deps import CurrentTenant
from sampark.web.records.bulk import BulkBody, BulkOut, bulk_api, bulk_form, form_id


class DealBulkPagesController(Controller):
    path = "/deals"
    include_in_schema = False

    @post("/bulk")
    async def bulk(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        """Assign, move or delete the selected deals (a delete is confirmed first), then back to the list."""
        base = f"/t/{tenant.slug}/deals/"
        return await bulk_form(
            request,
            back=base,
            confirm_template="records/bulk_delete.html",
            confirm={
                "base": base,
                "list_label": _("Deals"),
                "heading": _("Delete the selected deals?"),
                "selected_label": _("Deals selected: %(count)s"),
            },
            run=lambda action, ids, form, versions: bulk_change(
                action,
                ids,
                owner_id=form_id(form.get("owner_id")),
                stage_id=form_id(form.get("stage_id")),
                versions=versions,
            ),
            too_many=_("Select at most %(limit)d deals at once.", limit=MAX_IDS),
            changed=lambda count: _("Deals changed: %(count)d.", count=count),
        )


class DealBulkApiController(Controller):
    path = "/api/v1/deals"
    tags = ["deals"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @post("/bulk", status_code=200)
    async def bulk(self, tenant: CurrentTenant, data: JSONBody[BulkBody]) -> BulkOut:
        """Apply ``action`` ("assign" with ``owner_id``, "move" with ``stage_id`` (within each deal's pipeline),
        or "delete") to up to 500 deals in one transaction; deals the caller may not change are listed in
        ``skipped`` with a reason. 422 for a refused owner or an unknown stage."""
        too_many = _("Select at most %(limit)d deals at once.", limit=MAX_IDS)
        return await bulk_api(
            data,
            too_many,
            lambda: bulk_change(
                data.action, data.ids, owner_id=data.owner_id, stage_id=data.stage_id, versions=data.versions
            ),
        )
