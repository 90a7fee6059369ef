"""``/t/<slug>/admin/consent``: recent consent changes across contacts, filtered and paged, and their CSV export."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter
from litestar.response import Stream

from sampark.platform.csv_cells import csv_line
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.context import current_preferences
from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.access.policy import acting_as, current_principal, load_principal, require
from sampark.tenants.consent.queries import (
    FILTER_NAMES,
    ConsentFilters,
    export_changes,
    list_changes,
    parse_filters,
    record_export,
)
from sampark.tenants.consent.schemas import ACTIONS, PURPOSES, SOURCES, STATUSES, label
from sampark.tenants.history.people import label as person_label
from sampark.tenants.history.people import members
from sampark.web.consent.display import helpers
from sampark.web.contacts.pagekit import list_url
from sampark.web.deps import CurrentTenant
from sampark.web.downloads import csv_download
from sampark.web.rendering import render


def _header() -> list[str]:
    return [
        _("Time (UTC)"), _("Contact id"), _("Contact"), _("Purpose"), _("What happened"), _("Status"),
        _("Lawful basis"), _("Source"), _("Evidence"), _("Actor id"), _("Actor"),
    ]  # fmt: skip


async def csv_stream(slug: str, user_id: int, filters: ConsentFilters) -> AsyncIterator[str]:
    """CSV text for every matching change. Litestar ends the request's tenant transaction before a streamed
    body is sent, so the stream opens its own as the same member (membership and role checked again)."""
    async with tenant_context(slug=slug, member_user_id=user_id) as tenant:
        with acting_as(await load_principal(user_id, tenant.member_role or "")):
            people = await members()
            yield csv_line(_header())
            async for event in export_changes(filters):
                yield csv_line([
                    event.at.astimezone(UTC).isoformat(), event.contact_id, event.contact_name,
                    label(PURPOSES, event.purpose), label(ACTIONS, event.action), label(STATUSES, event.status),
                    event.lawful_basis, label(SOURCES, event.source) if event.source else "", event.evidence,
                    event.actor_user_id if event.actor_user_id is not None else "",
                    person_label(people, event.actor_user_id),
                ])  # fmt: skip


class ConsentAdminController(Controller):
    path = "/admin/consent"
    include_in_schema = False

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        before: Annotated[int | None, QueryParameter(ge=1, le=2**63 - 1)] = None,
    ) -> Response[str]:
        require("consent", "view", record=False)
        filters, errors = parse_filters(request.query_params)
        params = filters.as_params()
        base = f"/t/{tenant.slug}/admin/consent/"
        context = {
            "principal": current_principal(),
            "filters": params,
            "values": {name: request.query_params.get(name, "") for name in FILTER_NAMES},
            "errors": errors,
            "page": await list_changes(filters, before=before),
            "before": before,
            "url": lambda **changes: list_url(base, params, **changes),
            "export_url": list_url(base + "export.csv", params),
            "time_zone": current_preferences().time_zone,
            **helpers(await members()),
        }
        return render(
            request, "consent/admin.html", context, block="rows" if before else None,
            status_code=400 if errors else 200,
        )  # fmt: skip

    @get("/export.csv")
    async def export(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Stream:
        principal = require("consent", "export", record=False)
        filters, _errors = parse_filters(request.query_params)  # invalid filters are left out, as on the page
        await record_export(filters)  # committed with the request's transaction, before the body streams
        assert principal.user_id is not None  # a signed-in member: the tenant dependency guarantees it
        return csv_download(csv_stream(tenant.slug, principal.user_id, filters), f"consent-{tenant.slug}.csv")
