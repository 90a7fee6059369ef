"""Company forms: create and edit, with inline errors, a duplicate-domain warning and a version check."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.tenants.access.policy import require
from sampark.tenants.companies.fields import SIZES
from sampark.tenants.companies.services import (
    OBJECT,
    CompanyError,
    CompanyView,
    DuplicateCompanies,
    VersionConflict,
    company_choices,
    create_company,
    get_company,
    update_company,
)
from sampark.tenants.contacts.addresses import country_choices
from sampark.web.companies.forms import CompanyForm, input_ids
from sampark.web.contacts.pagekit import owner_choices
from sampark.web.customfields.forms import custom_form_context, custom_from_request, typed_custom
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render

_COMPARED = (
    ("name", lazy_gettext("Name")),
    ("domain", lazy_gettext("Domain")),
    ("industry", lazy_gettext("Industry")),
    ("size", lazy_gettext("Size")),
    ("parent_id", lazy_gettext("Parent company")),
)


def _typed(form: CompanyForm, current: CompanyView) -> list[tuple[str, str]]:
    theirs, now = form.to_data(), CompanyForm.from_view(current).to_data()
    return [
        (str(title), str(theirs.get(name) or ""))
        for name, title in _COMPARED
        if str(theirs.get(name) or "").strip() != str(now.get(name) or "").strip()
    ]


async def _page(
    request: Request[Any, Any, Any],
    form: CompanyForm,
    *,
    company: CompanyView | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response[str]:
    include = int(form.parent_id) if form.parent_id.isdigit() else None
    parents = [
        item
        for item in await company_choices(form.parent_search, include=include)
        if company is None or item.id != company.id
    ]
    context = {
        **await custom_form_context(OBJECT, form.custom),
        "form": form,
        "company": company,
        "errors": errors or {},
        "companies": parents,
        "company_selected": form.parent_id,
        "owners": [(person.id, person.name) for person in await owner_choices(OBJECT)],
        "sizes": [(key, str(name)) for key, name in SIZES.items()],
        "countries": country_choices(),
        "conflict": None,
        "duplicates": None,
        **extra,
    }
    return render(request, "companies/form.html", context, status_code=status_code)


class CompanyFormsController(Controller):
    path = "/companies"
    include_in_schema = False

    @get("/new")
    async def new(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        require(OBJECT, "create", record=False)
        return await _page(request, CompanyForm())

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        posted = await request.form()
        form = CompanyForm.from_post(posted)
        form.custom = await custom_from_request(OBJECT, posted)
        if posted.get("_action") == "find_parent":
            return await _page(request, form)
        try:
            company = await create_company(
                form.to_data(), allow_duplicate=posted.get("allow_duplicate") == "1"
            )
        except CompanyError as problem:
            return await _page(request, form, errors=input_ids(problem.errors), status_code=400)
        except DuplicateCompanies as found:
            return await _page(request, form, duplicates=found, status_code=409)
        flash(request, _("%(name)s was added.", name=company.name), "success")
        return Redirect(path=f"/t/{tenant.slug}/companies/{company.id}", status_code=303)

    @get("/{company_id:int}/edit")
    async def edit(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, company_id: FromPath[int]
    ) -> Response[str]:
        company = await get_company(company_id)
        if company is None:
            raise NotFoundException()
        require(OBJECT, "edit", company.owner_id)  # 403 before showing a form that could not be saved
        return await _page(request, CompanyForm.from_view(company), company=company)

    @post("/{company_id:int}/edit")
    async def update(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, company_id: FromPath[int]
    ) -> Response[Any]:
        posted = await request.form()
        form = CompanyForm.from_post(posted)
        form.custom = await custom_from_request(OBJECT, posted)
        company = await get_company(company_id)
        if company is None:
            raise NotFoundException()
        if posted.get("_action") == "find_parent":
            return await _page(request, form, company=company)
        try:
            company = await update_company(
                company_id, form.to_data(), expected_version=form.version if form.version is not None else -1
            )
        except VersionConflict as conflict:
            return await _page(
                request,
                CompanyForm.from_view(conflict.current),
                company=conflict.current,
                conflict=_typed(form, conflict.current)
                + await typed_custom(OBJECT, form.custom, conflict.current.custom),
                status_code=409,
            )
        except CompanyError as problem:
            return await _page(
                request, form, company=company, errors=input_ids(problem.errors), status_code=400
            )
        flash(request, _("Your changes to %(name)s were saved.", name=company.name), "success")
        return Redirect(path=f"/t/{tenant.slug}/companies/{company.id}", status_code=303)
