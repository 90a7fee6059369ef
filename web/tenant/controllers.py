"""``/t/<slug>/``: the tenant's home, a dashboard of the figures the reader may see."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from sampark.tenants.activities.validation import kind_label
from sampark.tenants.contacts.services import count_contacts, list_contacts
from sampark.tenants.dashboard import services as dashboard
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
                "pipelines": await dashboard.pipeline_values(),
                "won": await dashboard.won_this_month(),
                "tasks": await dashboard.my_tasks(),
                "activities": await dashboard.recent_activities(),
                "kind_label": kind_label,
            },
        )
