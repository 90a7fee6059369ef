"""Bulk actions on selected contacts: the list page's form (``POST /contacts/bulk``) and its JSON twin
(``POST /api/v1/contacts/bulk``). The rules live in ``tenants/contacts/bulk.py``. ``bulk_form`` and
``bulk_api`` serve any record type's bulk actions (leads use them too).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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


def form_id(value: Any) -> int | None:
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
        return await bulk_form(
            request,
            back=f"/t/{tenant.slug}/contacts/",
            confirm_template="contacts/bulk_delete.html",
            run=lambda action, ids, form: bulk_change(
                action, ids, owner_id=form_id(form.get("owner_id")), tag=str(form.get("tag") or "")
            ),
            too_many=_("Select at most %(limit)d contacts at once.", limit=MAX_IDS),
            changed=lambda count: _("Contacts changed: %(count)d.", count=count),
        )


async def bulk_form(
    request: Request[Any, Any, Any],
    *,
    back: str,
    confirm_template: str,
    run: Callable[[str, list[int], Any], Awaitable[BulkResult]],
    too_many: str,
    changed: Callable[[int], str],
) -> Response[Any]:
    """A list page's bulk form for any record type: ``run(action, ids, form)`` applies it; deleting is
    confirmed on ``confirm_template`` first; the result (or the request's error) is flashed on ``back``."""
    form = await request.form()
    raw_ids = form.getall("ids") if "ids" in form else []
    if len(raw_ids) > MAX_IDS:
        flash(request, too_many, "error")
        return Redirect(path=back, status_code=303)
    ids = [value for value in (form_id(raw) for raw in raw_ids) if value is not None]
    action = str(form.get("action") or "")
    if action == "delete" and ids and form.get("confirm") != "yes":
        # Deleting is the one bulk action that cannot be undone from the list: ask first.
        return render(request, confirm_template, {"ids": ids})
    try:
        result = await run(action, ids, form)
    except BulkError as problem:
        flash(request, problem.message, "error")
        return Redirect(path=back, status_code=303)
    flash(request, changed(len(result.changed)), "success")
    if result.skipped:
        skipped = ", ".join(f"#{record_id} ({_reason(code)})" for record_id, code in result.skipped)
        flash(request, _("Skipped: %(list)s.", list=skipped), "info")
    return Redirect(path=back, status_code=303)


class ContactBulkApiController(Controller):
    path = "/api/v1/contacts"
    tags = ["contacts"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @post("/bulk", status_code=200)
    async def bulk(self, tenant: CurrentTenant, data: JSONBody[BulkBody]) -> BulkOut:
        """Apply ``action`` to up to 500 contacts in one transaction; contacts the caller may not change are
        listed in ``skipped`` with a reason. 400 for a bad action or too many ids, 422 for a refused owner or tag.
        """
        message = _("Select at most %(limit)d contacts at once.", limit=MAX_IDS)
        return await bulk_api(
            data, message, lambda: bulk_change(data.action, data.ids, owner_id=data.owner_id, tag=data.tag)
        )


async def bulk_api(body: BulkBody, too_many: str, run: Callable[[], Awaitable[BulkResult]]) -> BulkOut:
    """The JSON bulk endpoint for any record type: 400 for the request's shape, 422 for a refused owner or tag."""
    if len(body.ids) > MAX_IDS:
        raise api_error(400, "too_many", too_many, {"ids": too_many})
    try:
        result = await run()
    except BulkError as problem:
        status, code = (422, "validation_failed") if problem.code in _UNPROCESSABLE else (400, problem.code)
        raise api_error(status, code, problem.message, {problem.field: problem.message}) from None
    return BulkOut(result.changed, [BulkSkip(record_id, code) for record_id, code in result.skipped])
