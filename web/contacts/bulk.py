"""Bulk actions on selected contacts: the list page's form (``POST /contacts/bulk``) and its JSON twin
(``POST /api/v1/contacts/bulk``). The rules live in ``tenants/contacts/bulk.py``, the shared handlers in
``web/records/bulk.py``.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.params import JSONBody

from sampark.platform.i18n import gettext as _
from sampark.tenants.contacts.bulk import MAX_IDS, bulk_change
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS
from sampark.web.deps import CurrentTenant
from sampark.web.records.bulk import BulkBody, BulkOut, bulk_api, bulk_form, form_id


class ContactBulkPagesController(Controller):
    path = "/contacts"
    include_in_schema = False

    @post("/bulk")
    async def bulk(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        """Apply the chosen action (a delete is confirmed first), then back to the list with what changed and
        what was skipped."""
        return await bulk_form(
            request,
            back=f"/t/{tenant.slug}/contacts/",
            confirm_template="contacts/bulk_delete.html",
            run=lambda action, ids, form, versions: bulk_change(
                action,
                ids,
                owner_id=form_id(form.get("owner_id")),
                tag=str(form.get("tag") or ""),
                versions=versions,
            ),
            too_many=_("Select at most %(limit)d contacts at once.", limit=MAX_IDS),
            changed=lambda count: _("Contacts changed: %(count)d.", count=count),
        )


class ContactBulkApiController(Controller):
    path = "/api/v1/contacts"
    tags = ["contacts"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @post("/bulk", status_code=200)
    async def bulk(self, tenant: CurrentTenant, data: JSONBody[BulkBody]) -> BulkOut:
        """Apply ``action`` ("assign", "tag", "untag", "delete") to up to 500 contacts in one transaction;
        contacts the caller may not change are listed in ``skipped`` with a reason. 400 for a bad action or too
        many ids, 422 for a refused owner or tag."""
        message = _("Select at most %(limit)d contacts at once.", limit=MAX_IDS)
        return await bulk_api(
            data,
            message,
            lambda: bulk_change(
                data.action, data.ids, owner_id=data.owner_id, tag=data.tag, versions=data.versions
            ),
        )
