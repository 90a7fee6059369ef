"""``/ops/``: the operator console: tenants (search, status), one tenant's page with its members, suspending and
resuming, and elevation. Every look at a tenant and every change is audited (tenants/access/operators.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity.members import list_members
from sampark.platform.operators import roles
from sampark.platform.operators.accounts import OperatorRecord, recovery_codes_left
from sampark.platform.operators.console import (
    STATUSES,
    TenantRow,
    find_tenant,
    list_tenants,
    recent_audit,
    set_tenant_status,
)
from sampark.platform.tenancy.tables import TenantStatus
from sampark.tenants.access.operators import ELEVATE, ELEVATED_VIEW, RESUME, SUSPEND, VIEW, record_access
from sampark.web.ops import session as ops
from sampark.web.ops.session import (
    CurrentOperator,
    OperatorLoginRequired,
    handle_login_required,
    provide_operator,
)
from sampark.web.rendering import render

MAX_REASON = 500


async def tenant_or_404(slug: str) -> TenantRow:
    tenant = await find_tenant(slug)
    if tenant is None:
        raise NotFoundException()
    return tenant


async def reason_of(request: Request[Any, Any, Any], name: str = "reason") -> str:
    """The reason typed into ``name``, whitespace folded, at most ``MAX_REASON`` characters."""
    return " ".join(str((await request.form()).get(name, "")).split())[:MAX_REASON]


async def live_elevation(
    request: Request[Any, Any, Any], operator: OperatorRecord, slug: str
) -> dict[str, Any] | None:
    """The operator's live elevation in ``slug``; none once their role no longer allows elevating."""
    if not operator.can(roles.ELEVATE):
        return None
    return ops.elevation(await ops.load(request), slug)


async def ops_page(
    request: Request[Any, Any, Any],
    operator: OperatorRecord,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    block: str | None = None,
) -> Response[str]:
    """Render a console page with what every console page shows (the operator, notices, a codes warning)."""
    full = {
        "operator": operator,
        "notices": await ops.pop_notices(request),
        "recovery_codes_left": await recovery_codes_left(operator.id),
        **context,
    }
    return render(request, template, full, status_code=status_code, block=block)


async def _tenant_page(
    request: Request[Any, Any, Any],
    operator: OperatorRecord,
    tenant: TenantRow,
    elevation: dict[str, Any] | None,
    errors: dict[str, str],
    *,
    status_code: int = 200,
) -> Response[str]:
    context = {
        "t": tenant,
        "members": await list_members(tenant.id, page=1, page_size=100),
        "elevation": elevation,
        "elevation_until": datetime.fromtimestamp(float(elevation["until"]), UTC) if elevation else None,
        "audit": await recent_audit(tenant.id, limit=20),
        "active": tenant.status == TenantStatus.ACTIVE,
        "errors": errors,
    }
    return await ops_page(request, operator, "ops/tenant.html", context, status_code=status_code)


def handle_forbidden(request: Request[Any, Any, Any], exc: roles.OperatorForbidden) -> Response[str]:
    """The translated 403 page of the console: the operator's role does not allow what they asked.

    Exception handlers are synchronous, so this page skips the notices and the recovery-code warning.
    """
    referer = request.headers.get("referer", "")
    back = referer if referer.startswith(str(request.base_url).rstrip("/") + "/ops") else "/ops/"
    context = {
        "operator": request.state.get("operator"),
        "role_label": roles.ROLE_LABELS.get(exc.role, exc.role),
        "back": back,
    }
    return render(request, "ops/forbidden.html", context, status_code=403)


# Every console controller: the operator guard, its redirect to /ops/login, and the role refusal page.
GUARDED: dict[str, Any] = {
    "dependencies": {"operator": Provide(provide_operator)},
    "exception_handlers": {
        OperatorLoginRequired: handle_login_required,
        roles.OperatorForbidden: handle_forbidden,
    },
}


class ConsoleController(Controller):
    path = "/ops"
    include_in_schema = False
    dependencies = GUARDED["dependencies"]
    exception_handlers = GUARDED["exception_handlers"]

    @get("/")
    async def tenants(
        self,
        request: Request[Any, Any, Any],
        operator: CurrentOperator,
        q: Annotated[str, QueryParameter(max_length=100)] = "",
        status: Annotated[str, QueryParameter(max_length=16)] = "",
        before: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> Response[str]:
        listing = await list_tenants(q, status or None, before)
        params = {key: value for key, value in (("q", q), ("status", status)) if value}
        more = "?" + urlencode({**params, "before": listing.next_before}) if listing.next_before else None
        context = {
            "listing": listing,
            "q": q,
            "status": status if status in STATUSES else "",
            "statuses": STATUSES,
            "more_url": more,
            "before": before,
            "audit": [] if before else await recent_audit(limit=20),
        }
        return await ops_page(
            request, operator, "ops/tenants.html", context, block="rows" if before else None
        )

    @get("/tenants/{slug:str}")
    async def tenant(
        self, request: Request[Any, Any, Any], operator: CurrentOperator, slug: FromPath[str]
    ) -> Response[str]:
        tenant = await tenant_or_404(slug)
        elevation = await live_elevation(request, operator, slug)
        await record_access(operator, tenant, ELEVATED_VIEW if elevation else VIEW, path=request.url.path)
        return await _tenant_page(request, operator, tenant, elevation, {})

    @post("/tenants/{slug:str}/status")
    async def change_status(
        self, request: Request[Any, Any, Any], operator: CurrentOperator, slug: FromPath[str]
    ) -> Response[Any]:
        roles.require(operator.role, roles.CHANGE_STATUS)
        tenant = await tenant_or_404(slug)
        form = await request.form()
        target = str(form.get("status", ""))
        reason = await reason_of(request, "status_reason")
        if target not in STATUSES or target == tenant.status or not reason:
            await ops.notice(request, _("Give a reason to suspend or resume a workspace."))
            return Redirect(path=f"/ops/tenants/{slug}", status_code=303)
        action = SUSPEND if target == TenantStatus.SUSPENDED else RESUME
        if action == SUSPEND:  # the tenant's log is reachable only while it is active: write it first
            await record_access(operator, tenant, action, path=request.url.path, reason=reason)
        changed = await set_tenant_status(operator, slug, target, reason)
        if changed is not None and action == RESUME:
            await record_access(operator, changed, action, path=request.url.path, reason=reason)
        message = _("Workspace suspended.") if action == SUSPEND else _("Workspace resumed.")
        await ops.notice(request, message)
        return Redirect(path=f"/ops/tenants/{slug}", status_code=303)

    @post("/tenants/{slug:str}/elevate")
    async def elevate(
        self, request: Request[Any, Any, Any], operator: CurrentOperator, slug: FromPath[str]
    ) -> Response[Any]:
        roles.require(operator.role, roles.ELEVATE)
        tenant = await tenant_or_404(slug)
        reason = await reason_of(request)
        if not reason:
            errors = {"reason": _("Say why you need admin rights in this workspace.")}
            return await _tenant_page(request, operator, tenant, None, errors, status_code=400)
        grant = await ops.elevate(request, slug, reason)
        await record_access(
            operator,
            tenant,
            ELEVATE,
            path=request.url.path,
            reason=reason,
            minutes=int(ops.ELEVATION.total_seconds() // 60),
        )
        await ops.notice(request, _("You have admin rights in this workspace for 30 minutes."))
        assert grant
        return Redirect(path=f"/ops/tenants/{slug}", status_code=303)

    @post("/tenants/{slug:str}/elevate/end")
    async def end_elevation(
        self, request: Request[Any, Any, Any], operator: CurrentOperator, slug: FromPath[str]
    ) -> Response[Any]:
        await tenant_or_404(slug)
        await ops.drop_elevation(request, slug)
        return Redirect(path=f"/ops/tenants/{slug}", status_code=303)
