"""``/t/<slug>/admin/audit``: the tenant audit log, filtered and paged newest first, and its CSV export."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter
from litestar.response import Stream

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.context import current_preferences
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.audit.queries import list_entries, object_types, parse_filters, record_export
from sampark.tenants.history.people import members
from sampark.web.audit.export import csv_stream
from sampark.web.contacts.pagekit import list_url
from sampark.web.deps import CurrentTenant
from sampark.web.downloads import csv_download
from sampark.web.rendering import render

# Audit object types that have a record page, and its path under /t/<slug>/ (consent entries name the contact).
_RECORD_PAGES = {"contact": "contacts", "company": "companies", "consent": "contacts"}
_FILTER_NAMES = ("person", "object_type", "action", "object_id", "date_from", "date_to")
_ACTIONS = ("create", "update", "delete", "export", "import")
# What operators do in a workspace (tenants/access/operators.py).
_OPERATOR_ACTIONS = ("view", "elevate", "elevated_view", "suspend", "resume")


class AuditPagesController(Controller):
    path = "/admin/audit"
    include_in_schema = False

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        before: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> Response[str]:
        require("audit", "view", record=False)
        filters, errors = parse_filters(request.query_params)
        params = filters.as_params()
        base = f"/t/{tenant.slug}/admin/audit/"
        page = await list_entries(filters, before=before)
        people = await members()
        types = sorted({*await object_types(), *_RECORD_PAGES})
        context = {
            "principal": current_principal(),
            "filters": params,
            # What the user typed, so an invalid value is shown beside its error.
            "values": {name: request.query_params.get(name, "") for name in _FILTER_NAMES},
            "errors": errors,
            "page": page,
            "before": before,
            "person_choices": [
                (person.id, person.name)
                for person in sorted(people.values(), key=lambda person: person.name.casefold())
            ],
            "type_choices": [(name, name) for name in types],
            "action_choices": [(name, name) for name in (*_ACTIONS, *_OPERATOR_ACTIONS)],
            "url": lambda **changes: list_url(base, params, **changes),
            "export_url": list_url(base + "export.csv", params),
            "record_url": lambda row: (
                f"/t/{tenant.slug}/{_RECORD_PAGES[row.object_type]}/{row.object_id}"
                if row.object_type in _RECORD_PAGES and row.object_id is not None
                else None
            ),
            "shown": lambda value: "—" if value is None or value == "" else str(value),
            "no_person": _("Anyone"),
            "time_zone": current_preferences().time_zone,
        }
        return render(
            request,
            "audit/index.html",
            context,
            block="rows" if before else None,
            status_code=400 if errors else 200,
        )

    @get("/export.csv")
    async def export(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Stream:
        principal = require("audit", "export", record=False)
        filters, _errors = parse_filters(request.query_params)  # invalid filters are left out, as on the page
        await record_export(filters)  # committed with the request's transaction, before the body streams
        assert principal.user_id is not None  # a signed-in member: the tenant dependency guarantees it
        return csv_download(csv_stream(tenant.slug, principal.user_id, filters), f"audit-{tenant.slug}.csv")
