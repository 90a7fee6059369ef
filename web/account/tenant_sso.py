"""``/t/<slug>/admin/sso``: a tenant admin connects the workspace to its OpenID Connect provider.

Saving checks the provider's discovery document first and shows a field error when it does not answer or its
metadata is invalid. The client secret is write-only: the page says whether one is stored and offers to replace
it, never shows it; it is sealed before storage and never logged (nor put in the audit trail).
"""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity import oidc
from sampark.platform.identity.login_audit import record_auth_event
from sampark.platform.identity.sso_config import SsoForm, get_sso, remove_sso, save_sso, validate_form
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.access.roles import list_roles
from sampark.tenants.audit.services import record_change
from sampark.web.account.signin import client_of, session_has_mfa, session_sso_tenant
from sampark.web.auth.sso import redirect_uri
from sampark.web.deps import CurrentTenant, require_user
from sampark.web.rendering import flash, render

log = structlog.get_logger(__name__)


def _discovery_error(code: str) -> str:
    if code == "provider_unreachable":
        return _("The identity provider did not answer at this address. Check the issuer URL.")
    return _("The identity provider answered, but its OpenID Connect metadata is not valid for this issuer.")


def _audit_view(form: SsoForm | None, *, secret_replaced: bool = False) -> dict[str, Any]:
    """What the audit trail keeps of the settings: never the secret, only that it changed."""
    if form is None:
        return {}
    return {
        "sso_issuer": form.issuer,
        "sso_client_id": form.client_id,
        "sso_default_role": form.default_role,
        "sso_allowed_domains": ", ".join(form.domains()),
        "sso_only": form.sso_only,
        "sso_secret_replaced": secret_replaced,
    }


class TenantSsoController(Controller):
    path = "/admin/sso"
    include_in_schema = False

    async def _page(
        self,
        request: Request[Any, Any, Any],
        tenant: Any,
        *,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response[str]:
        current = await get_sso(tenant.id)
        if form is None:
            form = {
                "issuer": current.issuer if current else "",
                "client_id": current.client_id if current else "",
                "default_role": current.default_role if current else "read-only",
                "allowed_domains": ", ".join(current.allowed_domains) if current else "",
                "sso_only": current.sso_only if current else False,
            }
        context = {
            "principal": current_principal(),
            "current": current,
            "form": form,
            "errors": errors or {},
            "roles": [(role.key, role.name) for role in await list_roles()],
            "redirect_uri": redirect_uri(request, tenant.slug),
            "login_url": f"{redirect_uri(request, tenant.slug).rsplit('/', 1)[0]}",
        }
        return render(request, "account/tenant_sso.html", context, status_code=status_code)

    @get("/")
    async def index(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        require("settings", "edit", record=False)
        return await self._page(request, tenant)

    @post("/")
    async def update(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        require("settings", "edit", record=False)
        user = require_user(request)
        data = await request.form()
        form = SsoForm(
            issuer=str(data.get("issuer", "")).strip(),
            client_id=str(data.get("client_id", "")).strip(),
            client_secret=str(data.get("client_secret", "")).strip(),
            default_role=str(data.get("default_role", "")),
            allowed_domains=str(data.get("allowed_domains", "")),
            sso_only=data.get("sso_only") == "on",
        )
        current = await get_sso(tenant.id)
        shown = {**form.__dict__, "client_secret": ""}  # a typed secret is never sent back to the browser
        errors = validate_form(form, [role.key for role in await list_roles()], has_secret=bool(current))
        if form.sso_only and not (session_has_mfa(request) or session_sso_tenant(request) == tenant.id):
            # Otherwise the admin would lock themselves out of this very page.
            errors["sso_only"] = _(
                "Sign in through this workspace's single sign-on, or turn on two-factor authentication, "
                "before making single sign-on the only way in."
            )
        metadata = None
        if not errors:
            try:
                metadata = await oidc.discover(form.issuer, fresh=True)
            except oidc.OidcError as error:
                log.info("sso_discovery_refused", tenant=tenant.slug, code=error.code)
                errors["issuer"] = _discovery_error(error.code)
        if errors or metadata is None:
            return await self._page(request, tenant, form=shown, errors=errors, status_code=400)
        await save_sso(tenant.id, form, metadata.issuer, request.app.state.settings.secret_key)
        before = None
        if current is not None:
            before = SsoForm(
                issuer=current.issuer,
                client_id=current.client_id,
                client_secret="",
                default_role=current.default_role,
                allowed_domains=", ".join(current.allowed_domains),
                sso_only=current.sso_only,
            )
        await record_change(
            "edit",
            "settings",
            tenant.id,
            actor_user_id=user.id,
            before=_audit_view(before),
            after=_audit_view(form, secret_replaced=bool(form.client_secret)),
        )
        await record_auth_event(
            "sso_configured", user_id=user.id, tenant_id=tenant.id, client=client_of(request)
        )
        flash(request, _("Single sign-on settings saved. The identity provider answered."), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/sso", status_code=303)

    @post("/remove")
    async def remove(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        require("settings", "edit", record=False)
        user = require_user(request)
        if await get_sso(tenant.id) is not None:
            await remove_sso(tenant.id)
            await record_change("delete", "settings", tenant.id, actor_user_id=user.id, before={"sso": True})
            await record_auth_event(
                "sso_removed", user_id=user.id, tenant_id=tenant.id, client=client_of(request)
            )
        flash(request, _("Single sign-on is turned off. Members sign in with their passwords."), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/sso", status_code=303)
