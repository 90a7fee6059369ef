"""``/ops/tenants/<slug>/...``: an operator's view into one tenant's data, read-only unless elevated.

Each page opens the tenant's context with the operator principal (view-only, ``READ ONLY`` transaction) or,
while an elevation lasts, with admin rights. Every page is audited before it is read.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.operators import roles
from sampark.platform.operators.accounts import OperatorRecord
from sampark.platform.tenancy.context import TenantNotFound
from sampark.tenants.access.operators import ELEVATED_VIEW, VIEW, operator_tenant, record_access
from sampark.tenants.access.services import AdminError, set_member_active
from sampark.tenants.companies.queries import list_companies
from sampark.tenants.contacts.queries import list_contacts
from sampark.tenants.search.listing import ListError
from sampark.web.ops import session as ops
from sampark.web.ops.console import GUARDED, live_elevation, ops_page, tenant_or_404
from sampark.web.ops.session import CurrentOperator

PAGE_SIZE = 25


async def _elevated(request: Request[Any, Any, Any], operator: OperatorRecord, slug: str) -> bool:
    return await live_elevation(request, operator, slug) is not None


async def _data_page(
    request: Request[Any, Any, Any], operator: OperatorRecord, slug: str, kind: str, cursor: str | None
) -> Response[Any]:
    tenant = await tenant_or_404(slug)
    elevated = await _elevated(request, operator, slug)
    await record_access(operator, tenant, ELEVATED_VIEW if elevated else VIEW, path=request.url.path)
    reader = list_contacts if kind == "contacts" else list_companies
    try:
        async with operator_tenant(slug, operator, elevated=elevated):
            page = await reader(limit=PAGE_SIZE, cursor=cursor)
    except TenantNotFound:
        await ops.notice(request, _("This workspace is suspended: its data cannot be opened."))
        return Redirect(path=f"/ops/tenants/{slug}", status_code=303)
    except ListError as error:
        context = {"t": tenant, "kind": kind, "page": None, "elevated": elevated, "error": error.message}
        return await ops_page(request, operator, "ops/tenant_data.html", context, status_code=400)
    context = {"t": tenant, "kind": kind, "page": page, "elevated": elevated, "error": None}
    return await ops_page(
        request, operator, "ops/tenant_data.html", context, block="rows" if cursor else None
    )


class TenantDataController(Controller):
    path = "/ops/tenants/{slug:str}"
    include_in_schema = False
    dependencies = GUARDED["dependencies"]
    exception_handlers = GUARDED["exception_handlers"]

    @get("/contacts")
    async def contacts(
        self,
        request: Request[Any, Any, Any],
        operator: CurrentOperator,
        slug: FromPath[str],
        cursor: Annotated[str | None, QueryParameter(max_length=500)] = None,
    ) -> Response[Any]:
        return await _data_page(request, operator, slug, "contacts", cursor)

    @get("/companies")
    async def companies(
        self,
        request: Request[Any, Any, Any],
        operator: CurrentOperator,
        slug: FromPath[str],
        cursor: Annotated[str | None, QueryParameter(max_length=500)] = None,
    ) -> Response[Any]:
        return await _data_page(request, operator, slug, "companies", cursor)

    @post("/members/{user_id:int}/active")
    async def member_active(
        self,
        request: Request[Any, Any, Any],
        operator: CurrentOperator,
        slug: FromPath[str],
        user_id: FromPath[int],
    ) -> Response[Any]:
        """Deactivate or reactivate a member: an admin action, so only while elevated."""
        roles.require(operator.role, roles.ELEVATE)
        tenant = await tenant_or_404(slug)
        if not await _elevated(request, operator, slug):
            raise PermissionDeniedException(_("Elevate first: without it an operator may only look."))
        active = str((await request.form()).get("active", "")) == "1"
        await record_access(operator, tenant, ELEVATED_VIEW, path=request.url.path)
        try:
            async with operator_tenant(slug, operator, elevated=True):
                await set_member_active(user_id, active)
        except TenantNotFound:
            await ops.notice(request, _("This workspace is suspended: its data cannot be opened."))
        except AdminError as error:
            await ops.notice(request, " ".join(error.errors.values()) or _("That change was refused."))
        else:
            await ops.notice(request, _("Member reactivated.") if active else _("Member deactivated."))
        return Redirect(path=f"/ops/tenants/{slug}", status_code=303)
