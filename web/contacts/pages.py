"""Contact pages: the list (filters, sorts, keyset pages), a contact with its history, and deletion."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter

from sampark.platform.i18n import gettext as _
from sampark.tenants.companies.services import get_company
from sampark.tenants.contacts.addresses import address_lines, country_choices
from sampark.tenants.contacts.fields import LIFECYCLE_STAGES, PHONE_LABELS, SOURCES, source_label, stage_label
from sampark.tenants.contacts.services import (
    OBJECT,
    delete_contact,
    get_contact,
    list_contacts,
)
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


def _helpers() -> dict[str, Any]:
    return {
        "stage_label": stage_label,
        "source_label": source_label,
        "address_lines": address_lines,
        "phone_label": lambda key: str(PHONE_LABELS.get(key, key)),
        "history_value": history_value,
    }


class ContactPagesController(Controller):
    path = "/contacts"
    include_in_schema = False

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        cursor: Annotated[str | None, QueryParameter(max_length=500)] = None,
        sort: Annotated[str | None, QueryParameter(max_length=40)] = None,
        after: Annotated[str | None, QueryParameter(max_length=500)] = None,
        view: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> Response[str]:
        cursor = cursor or after
        extras, context = await list_page_context(
            request,
            OBJECT,
            f"/t/{tenant.slug}/contacts/",
            cursor=cursor,
            sort=sort,
            view=view,
            default_sort="name",
        )
        context.update(
            {
                "stages": [(key, str(name)) for key, name in LIFECYCLE_STAGES.items()],
                "sources": [(key, str(name)) for key, name in SOURCES.items()],
                "countries": country_choices(),
                "company": None,
                **_helpers(),
            }
        )
        if extras.filters.get("company_id", "").isdigit():
            context["company"] = await get_company(int(extras.filters["company_id"]))

        async def load() -> dict[str, Any]:
            page = await list_contacts(
                limit=PAGE_SIZE, cursor=cursor, sort=extras.sort, filters=extras.filters, fields=extras.fields
            )
            return {"page": page}

        return await render_list(request, "contacts/index.html", context, load)

    @get("/{contact_id:int}")
    async def detail(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        contact_id: FromPath[int],
        history_before: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> Response[str]:
        contact = await get_contact(contact_id)
        if contact is None:
            raise NotFoundException()
        people = await members()
        fields = await fields_for(OBJECT, archived=True)
        field_labels, history_label = custom_history(fields, history_value)
        return render(
            request,
            "contacts/detail.html",
            {
                "contact": contact,
                "custom_fields": [definition for definition in fields if not definition.archived],
                "show_custom": display,
                "field_labels": field_labels,
                "owner": label(people, contact.owner_id) if contact.owner_id else "",
                "history": await record_history("contact", contact.id, before=history_before),
                "history_url": f"/t/{tenant.slug}/contacts/{contact.id}",
                "can_edit": can(OBJECT, "edit", contact.owner_id),
                "can_delete": can(OBJECT, "delete", contact.owner_id),
                "can_view_consent": can("consent", "view", contact.owner_id),
                **_helpers(),
                "history_value": history_label,
            },
            block="history" if history_before else None,
        )

    @get("/{contact_id:int}/delete")
    async def confirm_delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, contact_id: FromPath[int]
    ) -> Response[str]:
        contact = await get_contact(contact_id)
        return confirm_delete_page(
            request, contact, obj=OBJECT, template="contacts/delete.html", key="contact"
        )

    @post("/{contact_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, contact_id: FromPath[int]
    ) -> Response[Any]:
        return await delete_and_redirect(
            request,
            delete_contact,
            contact_id,
            template="contacts/delete.html",
            key="contact",
            done=lambda contact: _("%(name)s was deleted.", name=contact.display_name),
            back=f"/t/{tenant.slug}/contacts/",
        )
