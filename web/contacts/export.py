"""``/t/<slug>/contacts/export.csv``: the current contacts view (same filters and sort) as a CSV download."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.params import Parameter
from litestar.response import Stream

from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.access.policy import acting_as, load_principal
from sampark.tenants.contacts.export import check_export, export_csv
from sampark.tenants.search.listing import ListError
from sampark.web.contacts.pagekit import page_filters
from sampark.web.deps import CurrentTenant


async def _stream(
    slug: str, user_id: int, sort: str | None, filters: Mapping[str, str]
) -> AsyncIterator[str]:
    """The CSV body in its own tenant transaction.

    Litestar closes the request's dependencies (and so its tenant transaction) before it sends a streamed body,
    so the stream opens its own context as the same member, re-checking membership and role; the rows and the
    one audit entry of the export share that transaction.
    """
    async with tenant_context(slug=slug, member_user_id=user_id) as tenant:
        with acting_as(await load_principal(user_id, tenant.member_role or "")):
            async for chunk in export_csv(sort=sort, filters=filters):
                yield chunk


class ContactExportController(Controller):
    path = "/contacts"
    include_in_schema = False

    @get("/export.csv")
    async def export(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        sort: str | None = Parameter(default=None, max_length=40),
    ) -> Response[Any]:
        """Every contact of the current view; 403 without the export permission, 400 for a bad filter or sort."""
        filters = page_filters(request.query_params)
        try:
            await check_export(sort, filters)  # PermissionDenied answers 403 through web/errors.py
        except ListError as problem:
            return Response(problem.message, status_code=400, media_type=MediaType.TEXT)
        principal = request.state.principal
        assert principal.user_id is not None  # a signed-in member: the tenant dependency guarantees it
        return Stream(
            _stream(tenant.slug, principal.user_id, sort, filters),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="contacts-{tenant.slug}.csv"',
                "Cache-Control": "no-store",
            },
        )
