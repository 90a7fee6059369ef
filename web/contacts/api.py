"""``/t/<slug>/api/v1/contacts``: the contact JSON API (list with cursor, get)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from litestar import Controller, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, Parameter

from sampark.tenants.contacts.services import MAX_PAGE_SIZE, get_contact, list_contacts
from sampark.web.deps import CurrentTenant


class ContactApiController(Controller):
    path = "/api/v1/contacts"
    tags = ["contacts"]

    @get("/")
    async def list_contacts(
        self,
        tenant: CurrentTenant,
        limit: int = Parameter(default=50, ge=1, le=MAX_PAGE_SIZE),
        cursor: int | None = Parameter(default=None, ge=0),
    ) -> dict[str, Any]:
        """List contacts in id order; pass ``next_cursor`` back as ``cursor`` for the next page."""
        page = await list_contacts(limit=limit, after=cursor)
        return {"items": [asdict(item) for item in page.items], "next_cursor": page.next_cursor}

    @get("/{contact_id:int}")
    async def get_contact(self, tenant: CurrentTenant, contact_id: FromPath[int]) -> dict[str, Any]:
        """One contact; 404 when it does not exist in this tenant."""
        contact = await get_contact(contact_id)
        if contact is None:
            raise NotFoundException()
        return asdict(contact)
