"""How a tenant request is authenticated beyond the session: API keys, the CSRF exemption they need, and the
tenant's mandatory two-factor policy.

API keys work on the tenant API only: ``Authorization: Bearer sk_...`` on ``/t/<slug>/api/...``.

CSRF protects credentials a browser attaches by itself (cookies). A request that carries a Bearer key and no
session cookie has no such credential: a cross-site page cannot set an ``Authorization`` header without a
CORS preflight we never grant. Those requests, on the tenant API only, skip the CSRF check; everything else
(any request with a session cookie, any page) is checked exactly as before.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.middleware.csrf import CSRFMiddleware
from litestar.response import Redirect
from litestar.types import Receive, Scope, Send

from sampark.platform.i18n import gettext as _
from sampark.platform.identity.apikeys import authenticate_key, key_digest, plausible_key
from sampark.platform.identity.service_accounts import ServiceKeyAuth, authenticate_service_key
from sampark.platform.tenancy.context import TenantNotFound, TenantRecord, tenant_context
from sampark.tenants.access.catalog import Permissions, scope_rank
from sampark.tenants.access.policy import Principal, acting_as, load_principal, load_service_principal
from sampark.tenants.audit.services import record_change
from sampark.web.errors import ApiError, wants_json
from sampark.web.rendering import flash
from sampark.web.sessions import COOKIE_NAME

_TENANT_API = re.compile(r"^/t/[^/]+/api/")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def bearer_token(scope: Scope) -> str | None:
    """The Bearer credential of a tenant API request, or None (other paths never take one)."""
    if not _TENANT_API.match(scope.get("path", "")):
        return None
    scheme, _sep, token = _header(scope, b"authorization").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


def has_session_cookie(scope: Scope) -> bool:
    cookies = _header(scope, b"cookie")
    return any(part.strip().partition("=")[0] == COOKIE_NAME for part in cookies.split(";"))


class BearerAwareCSRFMiddleware(CSRFMiddleware):
    """Litestar's CSRF check, skipped only for tenant API requests with a Bearer key and no session cookie."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and bearer_token(scope) is not None and not has_session_cookie(scope):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def intersect(role: Permissions, key: Permissions) -> Permissions:
    """What a key may do: for each object and action, the narrower of the role's and the key's scope."""
    allowed: Permissions = {}
    for obj, actions in key.items():
        for action, key_scope in actions.items():
            role_scope = role.get(obj, {}).get(action, "none")
            narrower = role_scope if scope_rank(role_scope) <= scope_rank(key_scope) else key_scope
            if scope_rank(narrower) > 0:
                allowed.setdefault(obj, {})[action] = narrower
    return allowed


def _invalid_key() -> ApiError:
    error = ApiError(401, "invalid_api_key", _("The API key is missing, unknown or revoked."))
    error.headers = {"WWW-Authenticate": 'Bearer realm="sampark"'}
    return error


class TwoFactorRequired(HTTPException):
    """The tenant makes 2FA mandatory and this user (or key's user) has not turned it on."""

    status_code = 403


@asynccontextmanager
async def api_key_tenant(
    slug: str, token: str, request: Request[Any, Any, Any]
) -> AsyncIterator[TenantRecord]:
    """Authenticate a Bearer key for ``slug`` and open the tenant context as its user, with the key's scope."""
    auth = await authenticate_key(token, slug)
    if auth is None:
        service = await authenticate_service_key(key_digest(token), slug) if plausible_key(token) else None
        if service is None:
            raise _invalid_key()
        async with _service_key_tenant(slug, service, request) as tenant:
            yield tenant
        return
    if auth.tenant_requires_2fa and not auth.user_has_2fa:
        raise TwoFactorRequired()
    try:
        async with tenant_context(slug=slug, member_user_id=auth.user_id) as tenant:
            request.state.tenant = tenant
            request.state.api_key_id = auth.key_id
            structlog.contextvars.bind_contextvars(tenant=tenant.slug, api_key_id=auth.key_id)
            role = await load_principal(auth.user_id, tenant.member_role or "")
            principal: Principal = dataclasses.replace(
                role, permissions=intersect(role.permissions, auth.scopes)
            )
            request.state.principal = principal
            if auth.touched:  # at most once a minute per key: the tenant's audit log shows keys in use
                await record_change("use", "api_key", auth.key_id, actor_user_id=auth.user_id)
            with acting_as(principal):
                yield tenant
    except TenantNotFound:
        # The membership ended between the key check and the context: the key no longer speaks for anyone.
        raise _invalid_key() from None


@asynccontextmanager
async def _service_key_tenant(
    slug: str, auth: ServiceKeyAuth, request: Request[Any, Any, Any]
) -> AsyncIterator[TenantRecord]:
    """The tenant context as a service account: its role's permissions intersected with the key's scopes.

    Service accounts have no second factor to show, so a tenant's 2FA rule does not apply to their keys (a
    tenant admin created the account and its keys on purpose).
    """
    try:
        async with tenant_context(slug=slug) as tenant:
            request.state.tenant = tenant
            request.state.api_key_id = auth.key_id
            structlog.contextvars.bind_contextvars(
                tenant=tenant.slug, api_key_id=auth.key_id, service_account_id=auth.service_account_id
            )
            role = await load_service_principal(auth.service_account_id, auth.role)
            principal = dataclasses.replace(role, permissions=intersect(role.permissions, auth.scopes))
            request.state.principal = principal
            with acting_as(principal):
                if auth.touched:
                    await record_change("use", "api_key", auth.key_id)  # attributed through the principal
                yield tenant
    except TenantNotFound:
        raise _invalid_key() from None


def handle_two_factor_required(request: Request[Any, Any, Any], exc: TwoFactorRequired) -> Response[Any]:
    """Pages send the member to turn 2FA on (and back afterwards); the API answers 403 with a stable code."""
    message = _("This workspace requires two-factor authentication. Turn it on to continue.")
    if wants_json(request):
        return Response(
            {"error": {"code": "two_factor_required", "message": message}},
            status_code=403,
            media_type=MediaType.JSON,
        )
    flash(request, message, "error")
    target = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    return Redirect(path=f"/account/security?next={quote(target, safe='/')}", status_code=303)


TENANT_EXCEPTION_HANDLERS = {TwoFactorRequired: handle_two_factor_required}
