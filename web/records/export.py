"""``/t/<slug>/<objects>/export.csv``: the current view of a list (filters, sort, saved view and chosen columns)
as a CSV download, for contacts, companies, leads and deals. The rules live in ``tenants/records/export.py``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.params import QueryParameter

from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.access.policy import acting_as, load_principal, require
from sampark.tenants.companies.export import COMPANY_EXPORT
from sampark.tenants.contacts.export import CONTACT_EXPORT
from sampark.tenants.customfields.registry import custom_object
from sampark.tenants.deals.export import DEAL_EXPORT
from sampark.tenants.leads.export import LEAD_EXPORT
from sampark.tenants.records.export import Export, check_export, export_csv
from sampark.tenants.search.listing import ListError
from sampark.web.contacts.pagekit import page_filters
from sampark.web.customfields.lists import list_extras
from sampark.web.deps import CurrentTenant
from sampark.web.downloads import csv_download

# The lists that export, by the path segment of their pages.
EXPORTS: Mapping[str, Export] = {
    "contacts": CONTACT_EXPORT, "companies": COMPANY_EXPORT, "leads": LEAD_EXPORT, "deals": DEAL_EXPORT,
}  # fmt: skip
SortParam = Annotated[str | None, QueryParameter(max_length=40)]
ViewParam = Annotated[str | None, QueryParameter(max_length=20)]


async def _stream(
    export: Export, slug: str, user_id: int, sort: str | None, filters: Mapping[str, str], **options: Any
) -> AsyncIterator[str]:
    """The CSV body in its own tenant transaction.

    Litestar closes the request's dependencies (and so its tenant transaction) before it sends a streamed body,
    so the stream opens its own context as the same member, re-checking membership and role; the rows and the
    one audit entry of the export share that transaction.
    """
    async with tenant_context(slug=slug, member_user_id=user_id) as tenant:
        with acting_as(await load_principal(user_id, tenant.member_role or "")):
            async for chunk in export_csv(export, sort=sort, filters=filters, **options):
                yield chunk


async def export_response(
    request: Request[Any, Any, Any], slug: str, export: Export, sort: str | None, view: str | None
) -> Response[Any]:
    """The CSV of ``export``'s list as the page shows it: a saved view fills the filters and sort when the
    address has none, and its (or the user's) columns choose the custom-field columns. 403 without the export
    permission, 404 for a view the user may not see, 400 for a bad filter or sort."""
    require(export.obj, "export", record=False)  # before the view lookup: no export, no information
    filters = page_filters(request.query_params)
    columns: Sequence[str] | None = None
    if export.custom:
        extras = await list_extras(export.obj, filters, sort, view)
        filters, sort = extras.filters, extras.sort
        target = custom_object(export.obj)
        # Until a user chooses columns, every custom field is exported (the default columns name none).
        chosen = extras.view is not None and bool(extras.view.columns)
        if chosen or (target is not None and extras.columns != list(target.default_columns)):
            columns = extras.columns
    try:
        await check_export(export, sort, filters)
    except ListError as problem:
        return Response(problem.message, status_code=400, media_type=MediaType.TEXT)
    principal = request.state.principal
    assert principal.user_id is not None  # a signed-in member: the tenant dependency guarantees it
    view_id = int(view) if view and view.isdigit() else None
    return csv_download(
        _stream(export, slug, principal.user_id, sort, filters, columns=columns, view_id=view_id),
        f"{export.obj}-{slug}.csv",
    )


class RecordExportController(Controller):
    """One ``export.csv`` per CRM list; each answers like the contacts export."""

    path = "/"
    include_in_schema = False

    @get([f"/{objects}/export.csv" for objects in EXPORTS])
    async def export(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        sort: SortParam = None,
        view: ViewParam = None,
    ) -> Response[Any]:
        """Every record of the current view of a CRM list (which one: the path's list segment)."""
        export = EXPORTS[request.url.path.rstrip("/").split("/")[-2]]
        return await export_response(request, tenant.slug, export, sort, view)
