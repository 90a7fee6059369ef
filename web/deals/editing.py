"""Deal forms: create and edit, with inline errors and a version check (conflict notice)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.tenants.access.policy import require
from sampark.tenants.companies.services import company_choices
from sampark.tenants.deals.queries import OBJECT
from sampark.tenants.deals.schemas import DealError, DealView, VersionConflict
from sampark.tenants.deals.services import create_deal, get_deal, update_deal
from sampark.tenants.pipelines.queries import list_pipelines, member_default_pipeline
from sampark.web.companies.forms import input_ids
from sampark.web.contacts.pagekit import owner_choices
from sampark.web.customfields.forms import custom_from_request, typed_custom
from sampark.web.deals.forms import DealForm, contact_choices, currency_choices
from sampark.web.deps import CurrentTenant
from sampark.web.records.custom import form_context
from sampark.web.rendering import flash, render

_COMPARED = (
    ("name", lazy_gettext("Name")),
    ("amount", lazy_gettext("Amount")),
    ("currency", lazy_gettext("Currency")),
    ("expected_close_date", lazy_gettext("Expected close date")),
)


async def _page(
    request: Request[Any, Any, Any],
    form: DealForm,
    *,
    deal: DealView | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    conflict: list[tuple[str, str]] | None = None,
) -> Response[str]:
    include = int(form.company_id) if form.company_id.isdigit() else None
    context = {
        "form": form,
        "deal": deal,
        "errors": errors or {},
        "pipelines": await list_pipelines(),
        "companies": await company_choices(include=include),
        "contacts": await contact_choices(form.contact_ids),
        "currencies": currency_choices(),
        "owners": [(person.id, person.name) for person in await owner_choices(OBJECT)],
        "conflict": conflict,
        **await form_context(OBJECT, form.custom),
    }
    return render(request, "deals/form.html", context, status_code=status_code)


class DealFormsController(Controller):
    path = "/deals"
    include_in_schema = False

    @get("/contact-options")
    async def contact_options(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        contact_search: Annotated[str, QueryParameter(max_length=200)] = "",
        contact_ids: Annotated[list[str] | None, QueryParameter(max_items=50)] = None,
    ) -> Response[str]:
        """``<option>``s for the deal form's contacts list: the chosen ones stay, matches of the search follow."""
        chosen = [value[:20] for value in contact_ids or []]
        contacts = await contact_choices(chosen, contact_search)
        return render(request, "deals/_contact_options.html", {"contacts": contacts, "chosen": chosen})

    @get("/new")
    async def new(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        company_id: FromQuery[str] = "",
        stage_id: FromQuery[str] = "",
    ) -> Response[str]:
        require(OBJECT, "create", record=False)
        if (
            not stage_id
        ):  # preselect where the member's deals start: their default pipeline's first open stage
            start = await member_default_pipeline()
            first = start and (start.first_of("open") or (start.stages[0] if start.stages else None))
            stage_id = str(first.id) if first else ""
        return await _page(request, DealForm(company_id=company_id[:20], stage_id=stage_id[:20]))

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        posted = await request.form()
        form = DealForm.from_post(posted)
        form.custom = await custom_from_request(OBJECT, posted)
        try:
            deal = await create_deal(form.to_data(await list_pipelines()))
        except DealError as problem:
            return await _page(request, form, errors=input_ids(problem.errors), status_code=400)
        flash(request, _("%(name)s was added.", name=deal.name), "success")
        return Redirect(path=f"/t/{tenant.slug}/deals/{deal.id}", status_code=303)

    @get("/{deal_id:int}/edit")
    async def edit(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, deal_id: FromPath[int]
    ) -> Response[str]:
        deal = await get_deal(deal_id)
        if deal is None:
            raise NotFoundException()
        require(OBJECT, "edit", deal.owner_id)
        return await _page(request, DealForm.from_view(deal), deal=deal)

    @post("/{deal_id:int}/edit")
    async def update(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, deal_id: FromPath[int]
    ) -> Response[Any]:
        posted = await request.form()
        form = DealForm.from_post(posted)
        form.custom = await custom_from_request(OBJECT, posted)
        deal = await get_deal(deal_id)
        if deal is None:
            raise NotFoundException()
        version = form.version if form.version is not None else -1
        try:
            deal = await update_deal(deal_id, form.to_data(await list_pipelines()), expected_version=version)
        except VersionConflict as stale:
            current = DealForm.from_view(stale.current)
            typed = [
                (str(title), str(getattr(form, name)))
                for name, title in _COMPARED
                if str(getattr(form, name)).strip() != str(getattr(current, name)).strip()
            ]
            typed += await typed_custom(OBJECT, form.custom, stale.current.custom)
            return await _page(request, current, deal=stale.current, conflict=typed, status_code=409)
        except DealError as problem:
            return await _page(request, form, deal=deal, errors=input_ids(problem.errors), status_code=400)
        flash(request, _("Your changes to %(name)s were saved.", name=deal.name), "success")
        return Redirect(path=f"/t/{tenant.slug}/deals/{deal.id}", status_code=303)
