"""Company pages: the list, a company with its contacts, subsidiaries and history, deletion, and two small
fragments (the home page's count card and the company picker's options)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.companies.fields import size_label
from sampark.tenants.companies.services import (
    OBJECT,
    company_choices,
    count_companies,
    delete_company,
    get_company,
    list_companies,
)
from sampark.tenants.contacts.addresses import address_lines
from sampark.tenants.contacts.fields import stage_label
from sampark.tenants.contacts.services import list_contacts
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.values import display
from sampark.tenants.history.people import label, members
from sampark.tenants.history.services import record_history
from sampark.web.contacts.pagekit import (
    PAGE_SIZE,
    can,
    confirm_delete_page,
    delete_and_redirect,
    history_value,
)
from sampark.web.customfields.lists import custom_history
from sampark.web.deps import CurrentTenant
from sampark.web.records.listing import list_page_context, render_list
from sampark.web.rendering import render

CONTACTS_SHOWN = 25


class CompanyPagesController(Controller):
    path = "/companies"
    include_in_schema = False

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        cursor: Annotated[str | None, QueryParameter(max_length=500)] = None,
        sort: Annotated[str | None, QueryParameter(max_length=40)] = None,
        view: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> Response[str]:
        extras, context = await list_page_context(
            request,
            OBJECT,
            f"/t/{tenant.slug}/companies/",
            cursor=cursor,
            sort=sort,
            view=view,
            default_sort="name",
        )
        context.update(
            {
                "size_label": size_label,
            }
        )

        async def load() -> dict[str, Any]:
            page = await list_companies(
                limit=PAGE_SIZE, cursor=cursor, sort=extras.sort, filters=extras.filters, fields=extras.fields
            )
            return {"page": page}

        return await render_list(request, "companies/index.html", context, load)

    @get("/summary")
    async def summary(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        """The home page's companies card (loaded by htmx, so the home controller stays untouched)."""
        try:
            count = await count_companies()
        except PermissionDenied:
            count = None
        return render(request, "companies/_card.html", {"company_count": count})

    @get("/options")
    async def options(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        company_search: Annotated[str, QueryParameter(max_length=200)] = "",
        parent_search: Annotated[str, QueryParameter(max_length=200)] = "",
        company_id: Annotated[str, QueryParameter(max_length=20)] = "",
        parent_id: Annotated[str, QueryParameter(max_length=20)] = "",
    ) -> Response[str]:
        """``<option>``s for a company picker, matching what was typed."""
        selected = company_id or parent_id
        include = int(selected) if selected.isdigit() else None
        companies = await company_choices(company_search or parent_search, include=include)
        return render(
            request, "companies/_options.html", {"companies": companies, "company_selected": selected}
        )

    @get("/{company_id:int}")
    async def detail(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        company_id: FromPath[int],
        history_before: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> Response[str]:
        company = await get_company(company_id)
        if company is None:
            raise NotFoundException()
        people = await members()
        fields = await fields_for(OBJECT, archived=True)
        field_labels, history_label = custom_history(fields, history_value)
        try:
            contacts = await list_contacts(limit=CONTACTS_SHOWN, filters={"company_id": str(company.id)})
        except PermissionDenied:
            contacts = None
        subsidiaries = await list_companies(limit=CONTACTS_SHOWN, filters={"parent_id": str(company.id)})
        return render(
            request,
            "companies/detail.html",
            {
                "company": company,
                "owner": label(people, company.owner_id) if company.owner_id else "",
                "contacts": contacts,
                "subsidiaries": subsidiaries,
                "history": await record_history("company", company.id, before=history_before),
                "history_url": f"/t/{tenant.slug}/companies/{company.id}",
                "history_value": history_label,
                "field_labels": field_labels,
                "custom_fields": [definition for definition in fields if not definition.archived],
                "show_custom": display,
                "can_edit": can(OBJECT, "edit", company.owner_id),
                "can_delete": can(OBJECT, "delete", company.owner_id),
                "can_add_contact": can("contacts", "create", record=False),
                "address_lines": address_lines,
                "size_label": size_label,
                "stage_label": stage_label,
            },
            block="history" if history_before else None,
        )

    @get("/{company_id:int}/delete")
    async def confirm_delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, company_id: FromPath[int]
    ) -> Response[str]:
        company = await get_company(company_id)
        return confirm_delete_page(
            request, company, obj=OBJECT, template="companies/delete.html", key="company"
        )

    @post("/{company_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, company_id: FromPath[int]
    ) -> Response[Any]:
        return await delete_and_redirect(
            request,
            delete_company,
            company_id,
            template="companies/delete.html",
            key="company",
            done=lambda company: _("%(name)s was deleted. Its contacts were kept.", name=company.name),
            back=f"/t/{tenant.slug}/companies/",
        )
