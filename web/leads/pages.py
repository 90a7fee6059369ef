"""Lead pages: the list (filters, sorts, keyset pages, bulk actions), a lead with its history, and deletion."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter

from sampark.platform.i18n import gettext as _
from sampark.tenants.companies.services import get_company
from sampark.tenants.contacts.fields import PHONE_LABELS
from sampark.tenants.contacts.services import get_contact
from sampark.tenants.deals.services import get_deal
from sampark.tenants.history.people import label, members
from sampark.tenants.history.services import record_history
from sampark.tenants.leads.fields import SOURCES, STATUSES, source_label, status_label
from sampark.tenants.leads.services import OBJECT, delete_lead, get_lead, list_leads
from sampark.web.contacts.pagekit import (
    PAGE_SIZE,
    can,
    confirm_delete_page,
    delete_and_redirect,
)
from sampark.web.deps import CurrentTenant
from sampark.web.records.custom import detail_context
from sampark.web.records.listing import list_page_context, render_list
from sampark.web.rendering import render


def lead_value(field: str, value: str) -> str:
    """A history value for display: statuses and sources as their translated labels."""
    formatter = {"status": status_label, "source": source_label}.get(field)
    return formatter(value) if formatter and value else value


def helpers() -> dict[str, Any]:
    return {
        "status_label": status_label,
        "source_label": source_label,
        "phone_label": lambda key: str(PHONE_LABELS.get(key, key)),
        "history_value": lead_value,
    }


class LeadPagesController(Controller):
    path = "/leads"
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
            f"/t/{tenant.slug}/leads/",
            cursor=cursor,
            sort=sort,
            view=view,
            default_sort="-created_at",
        )
        context.update(
            {
                "statuses": [(key, str(name)) for key, name in STATUSES.items()],
                "sources": [(key, str(name)) for key, name in SOURCES.items()],
                **helpers(),
            }
        )

        async def load() -> dict[str, Any]:
            page = await list_leads(
                limit=PAGE_SIZE, cursor=cursor, sort=extras.sort, filters=extras.filters, fields=extras.fields
            )
            return {"page": page}

        return await render_list(request, "leads/index.html", context, load)

    @get("/{lead_id:int}")
    async def detail(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        lead_id: FromPath[int],
        history_before: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> Response[str]:
        lead = await get_lead(lead_id)
        if lead is None:
            raise NotFoundException()
        people = await members()
        # What the conversion made, where the principal may still see it (a deleted record shows as gone).
        contact = await get_contact(lead.converted_contact_id) if lead.converted_contact_id else None
        company = await get_company(lead.converted_company_id) if lead.converted_company_id else None
        deal = await visible_deal(lead.converted_deal_id)
        return render(
            request,
            "leads/detail.html",
            {
                "lead": lead,
                "owner": label(people, lead.owner_id) if lead.owner_id else "",
                "converted_by": label(people, lead.converted_by) if lead.converted_by else "",
                "contact": contact,
                "company": company,
                "deal": deal,
                "history": await record_history("lead", lead.id, before=history_before),
                "history_url": f"/t/{tenant.slug}/leads/{lead.id}",
                "can_edit": not lead.converted and can(OBJECT, "edit", lead.owner_id),
                "can_delete": can(OBJECT, "delete", lead.owner_id),
                **helpers(),
                **await detail_context(OBJECT, lead_value),
            },
            block="history" if history_before else None,
        )

    @get("/{lead_id:int}/delete")
    async def confirm_delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, lead_id: FromPath[int]
    ) -> Response[str]:
        return confirm_delete_page(
            request, await get_lead(lead_id), obj=OBJECT, template="leads/delete.html", key="lead"
        )

    @post("/{lead_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, lead_id: FromPath[int]
    ) -> Response[Any]:
        return await delete_and_redirect(
            request,
            delete_lead,
            lead_id,
            template="leads/delete.html",
            key="lead",
            done=lambda lead: _("%(name)s was deleted.", name=lead.display_name),
            back=f"/t/{tenant.slug}/leads/",
        )


async def visible_deal(deal_id: int | None) -> Any:
    if deal_id is None or not can("deals", "view", record=False):
        return None
    try:
        return await get_deal(deal_id)
    except PermissionError:
        return None
