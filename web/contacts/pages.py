"""Contact pages (HTML). The CRM core issue grows these into full list/edit pages."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, Parameter

from sampark.tenants.contacts.services import get_contact, list_contacts
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import render


class ContactPagesController(Controller):
    path = "/contacts"
    include_in_schema = False

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        after: int | None = Parameter(default=None, ge=0),
    ) -> Response[str]:
        page = await list_contacts(limit=25, after=after)
        return render(request, "contacts/index.html", {"page": page, "after": after}, block="rows")

    @get("/{contact_id:int}")
    async def detail(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, contact_id: FromPath[int]
    ) -> Response[str]:
        contact = await get_contact(contact_id)
        if contact is None:
            raise NotFoundException()
        return render(request, "contacts/detail.html", {"contact": contact})
