"""Lead forms: create and edit, with inline errors, a duplicate warning and a version check.

A stale form is never saved over: the page says so, shows the current values and lists what was typed.
A converted lead is read-only: its edit form answers with a notice instead.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.tenants.access.policy import require
from sampark.tenants.leads.fields import OPEN_STATUSES, SOURCES, STATUSES
from sampark.tenants.leads.services import (
    OBJECT,
    DuplicateLeads,
    LeadConverted,
    LeadError,
    LeadView,
    VersionConflict,
    create_lead,
    get_lead,
    update_lead,
)
from sampark.web.contacts.pagekit import owner_choices, phone_regions, tenant_phone_region
from sampark.web.customfields.forms import custom_from_request, typed_custom
from sampark.web.deps import CurrentTenant
from sampark.web.leads.forms import LeadForm, input_ids
from sampark.web.records.custom import form_context
from sampark.web.rendering import flash, render

_COMPARED = (
    ("first_name", lazy_gettext("First name")),
    ("last_name", lazy_gettext("Last name")),
    ("company_name", lazy_gettext("Company")),
    ("title", lazy_gettext("Job title")),
    ("emails", lazy_gettext("E-mail addresses")),
    ("phones", lazy_gettext("Phone numbers")),
    ("website", lazy_gettext("Website")),
    ("status", lazy_gettext("Status")),
    ("notes", lazy_gettext("Notes")),
    ("tags", lazy_gettext("Tags")),
)


def _typed(form: LeadForm, current: LeadView) -> list[tuple[str, str]]:
    """What the person typed that differs from the lead as it is now (shown after a conflict)."""
    mine, now = form.typed(), LeadForm.from_view(current, "").typed()
    return [(str(title), mine[name]) for name, title in _COMPARED if mine[name].strip() != now[name].strip()]


async def _page(
    request: Request[Any, Any, Any],
    form: LeadForm,
    *,
    lead: LeadView | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response[str]:
    context = {
        "form": form,
        "lead": lead,
        "errors": errors or {},
        "owners": [(person.id, person.name) for person in await owner_choices(OBJECT)],
        "statuses": [(key, str(STATUSES[key])) for key in OPEN_STATUSES],
        "sources": [(key, str(name)) for key, name in SOURCES.items()],
        "phone_regions": phone_regions(),
        "conflict": None,
        "duplicates": None,
        **await form_context(OBJECT, form.custom),
        **extra,
    }
    return render(request, "leads/form.html", context, status_code=status_code)


async def _editable(lead_id: int) -> LeadView:
    lead = await get_lead(lead_id)
    if lead is None:
        raise NotFoundException()
    require(OBJECT, "edit", lead.owner_id)  # 403 before showing a form that could not be saved
    return lead


def _read_only(request: Request[Any, Any, Any], slug: str, lead: LeadView) -> Redirect:
    flash(request, _("This lead was converted and can no longer be changed."), "error")
    return Redirect(path=f"/t/{slug}/leads/{lead.id}", status_code=303)


class LeadFormsController(Controller):
    path = "/leads"
    include_in_schema = False

    @get("/new")
    async def new(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        require(OBJECT, "create", record=False)
        return await _page(request, LeadForm(phone_region=tenant_phone_region()))

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        posted = await request.form()
        form = LeadForm.from_post(posted)
        form.custom = await custom_from_request(OBJECT, posted)
        try:
            lead = await create_lead(
                form.to_data(),
                allow_duplicate=posted.get("allow_duplicate") == "1",
                phone_region=form.phone_region or None,
            )
        except LeadError as problem:
            return await _page(request, form, errors=input_ids(problem.errors), status_code=400)
        except DuplicateLeads as found:
            return await _page(request, form, duplicates=found, status_code=409)
        flash(request, _("%(name)s was added.", name=lead.display_name), "success")
        return Redirect(path=f"/t/{tenant.slug}/leads/{lead.id}", status_code=303)

    @get("/{lead_id:int}/edit")
    async def edit(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, lead_id: FromPath[int]
    ) -> Response[Any]:
        lead = await _editable(lead_id)
        if lead.converted:
            return _read_only(request, tenant.slug, lead)
        return await _page(request, LeadForm.from_view(lead, tenant_phone_region()), lead=lead)

    @post("/{lead_id:int}/edit")
    async def update(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, lead_id: FromPath[int]
    ) -> Response[Any]:
        posted = await request.form()
        form = LeadForm.from_post(posted)
        form.custom = await custom_from_request(OBJECT, posted)
        lead = await _editable(lead_id)
        try:
            lead = await update_lead(
                lead_id,
                form.to_data(),
                expected_version=form.version if form.version is not None else -1,
                phone_region=form.phone_region or None,
            )
        except VersionConflict as conflict:
            current = LeadForm.from_view(conflict.current, form.phone_region)
            return await _page(
                request,
                current,
                lead=conflict.current,
                conflict=_typed(form, conflict.current)
                + await typed_custom(OBJECT, form.custom, conflict.current.custom),
                status_code=409,
            )
        except LeadConverted as converted:
            return _read_only(request, tenant.slug, converted.lead)
        except LeadError as problem:
            return await _page(request, form, lead=lead, errors=input_ids(problem.errors), status_code=400)
        flash(request, _("Your changes to %(name)s were saved.", name=lead.display_name), "success")
        return Redirect(path=f"/t/{tenant.slug}/leads/{lead.id}", status_code=303)
