"""``/t/<slug>/``: the tenant's home page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from sampark.tenants.contacts.services import count_contacts, list_contacts
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import render


class TenantHomeController(Controller):
    include_in_schema = False

    @get("/")
    async def home(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        recent = await list_contacts(limit=5)
        return render(
            request,
            "tenant/home.html",
            {
                "contact_count": await count_contacts(),
                "recent_contacts": recent.items,
            },
        )
