"""Bulk actions on selected leads (assign, tag, untag, delete): the list's form and ``POST /api/v1/leads/bulk``,
through the shared handlers in ``web/records/bulk.py``; the rules live in ``tenants/leads/bulk.py``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.params import JSONBody

from sampark.platform.i18n import gettext as _
from sampark.tenants.leads.bulk import MAX_IDS, bulk_change
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS
from sampark.web.deps import CurrentTenant
from sampark.web.records.bulk import BulkBody, BulkOut, bulk_api, bulk_form, form_id


class LeadBulkPagesController(Controller):
    path = "/leads"
    include_in_schema = False

    @post("/bulk")
    async def bulk(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        """Apply the chosen action to the selected leads (a delete is confirmed first), then back to the list."""
        return await bulk_form(
            request,
            back=f"/t/{tenant.slug}/leads/",
            confirm_template="leads/bulk_delete.html",
            run=lambda action, ids, form, versions: bulk_change(
                action,
                ids,
                owner_id=form_id(form.get("owner_id")),
                tag=str(form.get("tag") or ""),
                versions=versions,
            ),
            too_many=_("Select at most %(limit)d leads at once.", limit=MAX_IDS),
            changed=lambda count: _("Leads changed: %(count)d.", count=count),
        )


class LeadBulkApiController(Controller):
    path = "/api/v1/leads"
    tags = ["leads"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @post("/bulk", status_code=200)
    async def bulk(self, tenant: CurrentTenant, data: JSONBody[BulkBody]) -> BulkOut:
        """Apply ``action`` ("assign" with ``owner_id``, "tag"/"untag" with ``tag``, or "delete") to up to 500
        leads in one transaction; leads the caller may not change (or converted ones, except for "delete") are
        listed in ``skipped``."""
        too_many = _("Select at most %(limit)d leads at once.", limit=MAX_IDS)
        return await bulk_api(
            data,
            too_many,
            lambda: bulk_change(
                data.action, data.ids, owner_id=data.owner_id, tag=data.tag, versions=data.versions
            ),
        )
