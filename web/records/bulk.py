"""What every list's bulk actions share on the web side: the page form handler (with a confirmation page for
deletes and the outcome flashed on the list) and the JSON endpoint's body and answer (per-record results).

The rules live in each object's ``tenants/<object>/bulk.py`` on top of ``tenants/records/bulk.py``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Controller, Request, Response, post
from litestar.params import JSONBody
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.tenants.records.bulk import MAX_IDS, BulkError, BulkOptions, BulkResult, BulkTarget, run_bulk
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS, api_error
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render

# Errors about the request's shape answer 400; a tag, owner or stage the rules refuse answers 422.
_UNPROCESSABLE = frozenset({"invalid_owner", "invalid_tag", "invalid_stage"})

Run = Callable[[str, list[int], Any, dict[int, int]], Awaitable[BulkResult]]


def _reason(code: str) -> str:
    reasons = {
        "not_found": _("not found"),
        "forbidden": _("not allowed"),
        "unchanged": _("nothing to change"),
        "invalid": _("not valid"),
        "conflict": _("changed by someone else meanwhile"),
    }
    return reasons.get(code, code)


def form_id(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def form_selection(values: Sequence[Any]) -> tuple[list[int], dict[int, int]]:
    """Checkbox values ``<id>`` or ``<id>:<version>`` (the version the page showed) → ids and versions."""
    ids: list[int] = []
    versions: dict[int, int] = {}
    for value in values:
        record, _sep, version = str(value or "").partition(":")
        record_id, seen = form_id(record), form_id(version)
        if record_id is None:
            continue
        ids.append(record_id)
        if seen is not None:
            versions[record_id] = seen
    return ids, versions


class BulkBody(msgspec.Struct, forbid_unknown_fields=True):
    """Selected records and what to do with them (which actions exist depends on the object)."""

    # "assign", "delete", and per object "tag", "untag" (contacts, leads) or "move" (deals)
    action: str
    # At most 500 record ids.
    ids: list[int]
    # For "assign": the new owner's user id.
    owner_id: int | None = None
    # For "tag" and "untag".
    tag: str | None = None
    # For "move" (deals): a stage of the deals' pipeline.
    stage_id: int | None = None
    # Optional: record id → the version the caller last saw; a record changed since is skipped as "conflict".
    versions: dict[int, int] | None = None


class BulkSkip(msgspec.Struct):
    id: int
    # "not_found", "forbidden", "unchanged", "invalid" or "conflict"
    reason: str


class BulkOut(msgspec.Struct):
    changed: list[int]
    skipped: list[BulkSkip]


async def bulk_form(
    request: Request[Any, Any, Any],
    *,
    back: str,
    confirm_template: str,
    run: Run,
    too_many: str,
    changed: Callable[[int], str],
    confirm: Mapping[str, Any] | None = None,
) -> Response[Any]:
    """A list page's bulk form for any record type: ``run(action, ids, form, versions)`` applies it; deleting
    is confirmed on ``confirm_template`` (with ``confirm`` in its context) first; the result (or the request's
    error) is flashed on ``back``."""
    form = await request.form()
    raw_ids = form.getall("ids") if "ids" in form else []
    if len(raw_ids) > MAX_IDS:
        flash(request, too_many, "error")
        return Redirect(path=back, status_code=303)
    ids, versions = form_selection(raw_ids)
    action = str(form.get("action") or "")
    if action == "delete" and ids and form.get("confirm") != "yes":
        # Deleting is the one bulk action that cannot be undone from the list: ask first.
        selected = [
            f"{record_id}:{versions[record_id]}" if record_id in versions else record_id for record_id in ids
        ]
        return render(request, confirm_template, {**(confirm or {}), "ids": selected})
    try:
        result = await run(action, ids, form, versions)
    except BulkError as problem:
        flash(request, problem.message, "error")
        return Redirect(path=back, status_code=303)
    flash(request, changed(len(result.changed)), "success")
    if result.skipped:
        skipped = ", ".join(f"#{record_id} ({_reason(code)})" for record_id, code in result.skipped)
        flash(request, _("Skipped: %(list)s.", list=skipped), "info")
    return Redirect(path=back, status_code=303)


async def bulk_api(body: BulkBody, too_many: str, run: Callable[[], Awaitable[BulkResult]]) -> BulkOut:
    """The JSON bulk endpoint for any record type: 400 for the request's shape, 422 for a refused owner, tag or
    stage; otherwise 200 with the ids changed and, per skipped id, why."""
    if len(body.ids) > MAX_IDS:
        raise api_error(400, "too_many", too_many, {"ids": too_many})
    try:
        result = await run()
    except BulkError as problem:
        status, code = (422, "validation_failed") if problem.code in _UNPROCESSABLE else (400, problem.code)
        raise api_error(status, code, problem.message, {problem.field: problem.message}) from None
    return BulkOut(result.changed, [BulkSkip(record_id, code) for record_id, code in result.skipped])


@dataclass(frozen=True)
class BulkPage:
    """The texts of one list's bulk actions, built when called (translated in the reader's language)."""

    # "contacts": the list's path under the tenant and under /api/v1.
    name: str
    list_label: Callable[[], str]
    heading: Callable[[], str]
    # With a ``%(count)d`` placeholder.
    selected_label: Callable[[], str]
    changed: Callable[[int], str]
    description: str


def bulk_controllers(page: BulkPage, target: BulkTarget) -> tuple[type[Controller], type[Controller]]:
    """The page form (``POST /<name>/bulk``) and JSON (``POST /api/v1/<name>/bulk``) controllers of one list."""

    def options(form: Any, versions: dict[int, int]) -> BulkOptions:
        return BulkOptions(
            owner_id=form_id(form.get("owner_id")), tag=str(form.get("tag") or ""),
            stage_id=form_id(form.get("stage_id")), versions=versions,
        )  # fmt: skip

    class PagesController(Controller):
        path = f"/{page.name}"
        include_in_schema = False

        @post("/bulk")
        async def bulk(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
            """Apply the chosen action (a delete is confirmed first), then back to the list with what changed
            and what was skipped."""
            base = f"/t/{tenant.slug}/{page.name}/"
            return await bulk_form(
                request,
                back=base,
                confirm_template="records/bulk_delete.html",
                confirm={
                    "base": base,
                    "list_label": page.list_label(),
                    "heading": page.heading(),
                    "selected_label": page.selected_label(),
                },
                run=lambda action, ids, form, versions: run_bulk(
                    target, action, ids, options(form, versions)
                ),
                too_many=target.messages()["too_many"],
                changed=page.changed,
            )

    class ApiController(Controller):
        path = f"/api/v1/{page.name}"
        tags = [page.name]
        exception_handlers = API_EXCEPTION_HANDLERS

        @post("/bulk", status_code=200, description=page.description)
        async def bulk(self, tenant: CurrentTenant, data: JSONBody[BulkBody]) -> BulkOut:
            """Apply ``action`` to up to 500 records in one transaction; per-record results."""
            wanted = BulkOptions(data.owner_id, data.tag, data.stage_id, data.versions)
            return await bulk_api(
                data, target.messages()["too_many"], lambda: run_bulk(target, data.action, data.ids, wanted)
            )

    PagesController.__name__ = f"{page.name.title()}BulkPagesController"
    ApiController.__name__ = f"{page.name.title()}BulkApiController"
    return PagesController, ApiController
