"""Bulk actions on selected contacts: the list page's form (``POST /contacts/bulk``) and its JSON twin
(``POST /api/v1/contacts/bulk``). The rules live in ``tenants/contacts/bulk.py``.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, post
from litestar.params import JSONBody
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.tenants.contacts.bulk import MAX_IDS, BulkError, BulkResult, bulk_change
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS, api_error
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render

# Errors about the request's shape answer 400; a tag or owner the rules refuse answers 422.
_UNPROCESSABLE = frozenset({"invalid_owner", "invalid_tag"})


def _reason(code: str) -> str:
    reasons = {
        "not_found": _("not found"),
        "forbidden": _("not allowed"),
        "unchanged": _("nothing to change"),
        "invalid": _("not valid"),
    }
    return reasons.get(code, code)


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


class BulkBody(msgspec.Struct, forbid_unknown_fields=True):
    """Selected contacts and what to do with them."""

    # "assign", "tag", "untag" or "delete"
    action: str
    # At most 500 contact ids.
    ids: list[int]
    # For "assign": the new owner's user id.
    owner_id: int | None = None
    # For "tag" and "untag".
    tag: str | None = None


class BulkSkip(msgspec.Struct):
    id: int
    # "not_found", "forbidden", "unchanged" or "invalid"
    reason: str


class BulkOut(msgspec.Struct):
    changed: list[int]
    skipped: list[BulkSkip]


class ContactBulkPagesController(Controller):
    path = "/contacts"
    include_in_schema = False

    @post("/bulk")
    async def bulk(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        """Apply the chosen action (a delete is confirmed first), then back to the list with what changed and
        what was skipped."""
        form = await request.form()
        back = f"/t/{tenant.slug}/contacts/"
        raw_ids = form.getall("ids") if "ids" in form else []
        if len(raw_ids) > MAX_IDS:
            flash(request, _("Select at most %(limit)d contacts at once.", limit=MAX_IDS), "error")
            return Redirect(path=back, status_code=303)
        ids = [value for value in (_int(raw) for raw in raw_ids) if value is not None]
        action = str(form.get("action") or "")
        if action == "delete" and ids and form.get("confirm") != "yes":
            # Deleting is the one bulk action that cannot be undone from the list: ask first.
            return render(request, "contacts/bulk_delete.html", {"ids": ids})
        try:
            result = await bulk_change(
                action,
                ids,
                owner_id=_int(form.get("owner_id")),
                tag=str(form.get("tag") or ""),
            )
        except BulkError as problem:
            flash(request, problem.message, "error")
            return Redirect(path=back, status_code=303)
        _flash_result(request, result)
        return Redirect(path=back, status_code=303)


def _flash_result(request: Request[Any, Any, Any], result: BulkResult) -> None:
    flash(request, _("Contacts changed: %(count)d.", count=len(result.changed)), "success")
    if result.skipped:
        skipped = ", ".join(f"#{contact_id} ({_reason(code)})" for contact_id, code in result.skipped)
        flash(request, _("Skipped: %(list)s.", list=skipped), "info")


class ContactBulkApiController(Controller):
    path = "/api/v1/contacts"
    tags = ["contacts"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @post("/bulk", status_code=200)
    async def bulk(self, tenant: CurrentTenant, data: JSONBody[BulkBody]) -> BulkOut:
        """Apply ``action`` to up to 500 contacts in one transaction; contacts the caller may not change are
        listed in ``skipped`` with a reason. 400 for a bad action or too many ids, 422 for a refused owner or tag.
        """
        if len(data.ids) > MAX_IDS:
            message = _("Select at most %(limit)d contacts at once.", limit=MAX_IDS)
            raise api_error(400, "too_many", message, {"ids": message})
        try:
            result = await bulk_change(data.action, data.ids, owner_id=data.owner_id, tag=data.tag)
        except BulkError as problem:
            status, code = (
                (422, "validation_failed") if problem.code in _UNPROCESSABLE else (400, problem.code)
            )
            raise api_error(status, code, problem.message, {problem.field: problem.message}) from None
        return BulkOut(result.changed, [BulkSkip(contact_id, code) for contact_id, code in result.skipped])
