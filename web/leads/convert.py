"""Lead conversion pages: one form in three sections (contact, company, deal), then a result page linking
what was created. The rules live in ``tenants/leads/conversion.py``; this only translates the form.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import require
from sampark.tenants.companies.services import company_choices, get_company
from sampark.tenants.contacts.services import get_contact
from sampark.tenants.leads.conversion import ConversionError, conversion_matches, convert_lead
from sampark.tenants.leads.services import OBJECT, LeadConverted, LeadView, VersionConflict, get_lead
from sampark.tenants.pipelines.queries import list_pipelines
from sampark.tenants.settings.services import effective_region_settings
from sampark.web.contacts.pagekit import can
from sampark.web.deps import CurrentTenant
from sampark.web.leads.forms import ConvertForm
from sampark.web.leads.pages import helpers, visible_deal
from sampark.web.rendering import flash, render


async def _convertible(lead_id: int) -> LeadView:
    lead = await get_lead(lead_id)
    if lead is None:
        raise NotFoundException()
    require(OBJECT, "edit", lead.owner_id)  # 403 before showing a form that could not be saved
    return lead


async def _page(
    request: Request[Any, Any, Any],
    lead: LeadView,
    form: ConvertForm,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    stale: bool = False,
) -> Response[str]:
    matches = await conversion_matches(lead)
    include = int(form.company_id) if form.company_id.isdigit() and len(form.company_id) <= 18 else None
    pipelines = await list_pipelines() if can("deals", "create", record=False) else []
    context = {
        "lead": lead,
        "form": form,
        "errors": {key.replace(".", "-"): message for key, message in (errors or {}).items()},
        "matches": matches,
        "companies": await company_choices("", include=include),
        "pipelines": pipelines,
        "can_create_contact": can("contacts", "create", record=False),
        "can_create_company": can("companies", "create", record=False),
        "stale": stale,
        **helpers(),
    }
    return render(request, "leads/convert.html", context, status_code=status_code)


async def _defaults(lead: LeadView) -> ConvertForm:
    """Start from the likely answer: a company that matches, else a new one when the lead names a company."""
    matches = await conversion_matches(lead)
    company_mode = "existing" if matches.companies else ("new" if lead.company_name else "none")
    return ConvertForm(
        company_mode=company_mode,
        company_id=str(matches.companies[0].id) if matches.companies else "",
        company_name=lead.company_name,
        deal_name=lead.company_name or lead.display_name,
        deal_currency=(await effective_region_settings()).default_currency,
        version=lead.version,
    )


class LeadConvertController(Controller):
    path = "/leads"
    include_in_schema = False

    @get("/{lead_id:int}/convert")
    async def form(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, lead_id: FromPath[int]
    ) -> Response[Any]:
        lead = await _convertible(lead_id)
        if lead.converted:
            return Redirect(path=f"/t/{tenant.slug}/leads/{lead.id}/converted", status_code=303)
        return await _page(request, lead, await _defaults(lead))

    @post("/{lead_id:int}/convert")
    async def convert(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, lead_id: FromPath[int]
    ) -> Response[Any]:
        form = ConvertForm.from_post(await request.form())
        lead = await _convertible(lead_id)
        try:
            await convert_lead(
                lead_id, form.plan(), expected_version=form.version if form.version is not None else -1
            )
        except LeadConverted:
            flash(request, _("This lead was converted already."), "info")
            return Redirect(path=f"/t/{tenant.slug}/leads/{lead.id}/converted", status_code=303)
        except VersionConflict as conflict:
            form.version = conflict.current.version
            return await _page(request, conflict.current, form, stale=True, status_code=409)
        except ConversionError as problem:
            return await _page(request, lead, form, errors=problem.errors, status_code=400)
        flash(request, _("%(name)s was converted.", name=lead.display_name), "success")
        return Redirect(path=f"/t/{tenant.slug}/leads/{lead.id}/converted", status_code=303)

    @get("/{lead_id:int}/converted")
    async def result(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, lead_id: FromPath[int]
    ) -> Response[Any]:
        lead = await get_lead(lead_id)
        if lead is None or not lead.converted:
            raise NotFoundException()
        contact = await get_contact(lead.converted_contact_id) if lead.converted_contact_id else None
        company = await get_company(lead.converted_company_id) if lead.converted_company_id else None
        deal = await visible_deal(lead.converted_deal_id)
        return render(
            request,
            "leads/converted.html",
            {"lead": lead, "contact": contact, "company": company, "deal": deal},
        )
