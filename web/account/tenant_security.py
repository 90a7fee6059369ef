"""``/t/<slug>/admin/security``: a tenant admin makes 2FA mandatory, and reads the members' sign-in events."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity.login_audit import events_for_tenant, record_auth_event
from sampark.platform.identity.two_factor import set_tenant_requires_2fa, tenant_policy
from sampark.tenants.access.policy import PermissionDenied, require
from sampark.tenants.audit.services import record_change
from sampark.web.account.signin import client_of, session_has_mfa
from sampark.web.deps import CurrentTenant, require_user
from sampark.web.rendering import flash, render

EVENTS_PER_PAGE = 50


async def _events(before: int | None, tenant_id: int) -> list[Any] | None:
    """The members' sign-in events, or None when the principal may not read the audit trail."""
    try:
        require("audit", "view", record=False)
    except PermissionDenied:
        return None
    return await events_for_tenant(tenant_id, limit=EVENTS_PER_PAGE, before=before)


class TenantSecurityController(Controller):
    path = "/admin/security"
    include_in_schema = False

    async def _page(
        self,
        request: Request[Any, Any, Any],
        tenant: Any,
        *,
        before: int | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Response[str]:
        require("settings", "edit", record=False)
        events = await _events(before, tenant.id)
        context = {
            "policy": await tenant_policy(tenant.id),
            "events": events,
            "older": events[-1].id if events and len(events) == EVENTS_PER_PAGE else None,
            "before": before,
            "error": error,
        }
        return render(
            request, "account/tenant_security.html", context, block="events", status_code=status_code
        )

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        before: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> Response[str]:
        return await self._page(request, tenant, before=before)

    @post("/")
    async def update(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        require("settings", "edit", record=False)
        user = require_user(request)
        required = (await request.form()).get("require_2fa") == "on"
        current = (await tenant_policy(tenant.id)).require_2fa
        if required and not session_has_mfa(request):
            # Otherwise the admin would lock themselves out of this very page.
            message = _("Turn on two-factor authentication for your own account first.")
            return await self._page(request, tenant, error=message, status_code=400)
        if required != current:
            await set_tenant_requires_2fa(tenant.id, required)
            await record_change(
                "edit",
                "settings",
                tenant.id,
                actor_user_id=user.id,
                before={"require_2fa": current},
                after={"require_2fa": required},
            )
            event = "tenant_2fa_required" if required else "tenant_2fa_optional"
            await record_auth_event(event, user_id=user.id, tenant_id=tenant.id, client=client_of(request))
        if required:
            flash(request, _("Two-factor authentication is now required in this workspace."), "success")
        else:
            flash(request, _("Two-factor authentication is now optional in this workspace."), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/security", status_code=303)
