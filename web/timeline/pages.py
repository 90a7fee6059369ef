"""``/t/<slug>/timeline/<record_type>/<id>``: a record's timeline (full page, or the fragment htmx asks for),
"Show older" pages, and the quick forms that log a note, call, meeting or e-mail on the record."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.tenants.activities import timeline as _activity_source  # noqa: F401  (registers the source)
from sampark.tenants.activities.queries import OBJECT
from sampark.tenants.activities.schemas import ActivityError
from sampark.tenants.activities.services import create_activity
from sampark.tenants.activities.validation import direction_label, kind_label, outcome_label
from sampark.tenants.contacts.services import list_contacts
from sampark.tenants.records.links import LinkedRecord, resolve_link
from sampark.tenants.timeline import history as _history_source  # noqa: F401  (registers the source)
from sampark.tenants.timeline.registry import InvalidCursor, read_timeline
from sampark.web.contacts.pagekit import can, history_value
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, is_htmx, render
from sampark.web.timeline.forms import choices, posted


async def record_or_404(record_type: str, record_id: int) -> LinkedRecord:
    record = await resolve_link(record_type, record_id)
    if record is None:
        raise NotFoundException()
    return record


async def _people(record: LinkedRecord) -> list[Any]:
    """Contacts who can attend a meeting logged here: the contact itself, or a company's first 50."""
    if record.record_type != "company":
        return []
    page = await list_contacts(limit=50, filters={"company_id": str(record.record_id)})
    return page.items


async def timeline_context(
    tenant: Any, record: LinkedRecord, *, before: str | None = None, errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None, open_kind: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    try:
        page = await read_timeline(record.record_type, record.record_id, before=before)
    except InvalidCursor:
        raise NotFoundException() from None
    return {
        "record": record,
        "record_url": record.url(tenant.slug),
        "timeline_url": f"/t/{tenant.slug}/timeline/{record.record_type}/{record.record_id}",
        "page": page,
        "errors": errors or {},
        "values": values or {},
        "open_kind": open_kind,
        "can_log": can(OBJECT, "create", record=False) and not record.read_only,
        "attendee_choices": await _people(record),
        "kind_label": kind_label,
        "outcome_label": outcome_label,
        "direction_label": direction_label,
        "history_value": history_value,
        "can": can,
        **choices(),
    }


class TimelinePagesController(Controller):
    path = "/timeline"
    include_in_schema = False

    @get("/{record_type:str}/{record_id:int}")
    async def timeline(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        record_type: FromPath[str],
        record_id: FromPath[int],
        before: Annotated[str | None, QueryParameter(max_length=500)] = None,
    ) -> Response[str]:
        record = await record_or_404(record_type, record_id)
        context = await timeline_context(tenant, record, before=before)
        block = "entries" if before else "timeline"
        return render(request, "timeline/index.html", context, block=block)

    @post("/{record_type:str}/{record_id:int}")
    async def log(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        record_type: FromPath[str],
        record_id: FromPath[int],
    ) -> Response[Any]:
        """Log an activity on the record; errors come back on the form (400, or 200 for htmx so it swaps)."""
        record = await record_or_404(record_type, record_id)
        form = await request.form()
        kind = str(form.get("kind") or "")
        values = posted(form, kind)
        attendees = [str(item) for item in form.getall("attendees", [])] if kind == "meeting" else []
        if kind == "meeting" and record.record_type == "contact":
            attendees.append(str(record.record_id))
        links = [f"{record.record_type}:{record.record_id}"]
        try:
            await create_activity(kind, values, links=links, attendees=attendees)
        except ActivityError as problem:
            context = await timeline_context(
                tenant, record, errors=problem.errors, values=values, open_kind=kind
            )
            status = 200 if is_htmx(request) else 400
            return render(request, "timeline/index.html", context, block="timeline", status_code=status)
        message = _("%(kind)s logged.", kind=kind_label(kind))
        if is_htmx(request):
            context = await timeline_context(tenant, record)
            context["logged"] = message
            return render(request, "timeline/index.html", context, block="timeline")
        flash(request, message, "success")
        return Redirect(path=f"{record.url(tenant.slug)}#timeline", status_code=303)
