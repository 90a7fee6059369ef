"""Which sessions may enter a workspace, as far as single sign-on goes (docs/authentication.md).

- A session signed in through workspace A's SSO enters A only: A's provider vouched for the person in A, not
  elsewhere. Other workspaces send it to the password sign-in.
- An SSO-only workspace takes sessions from its own SSO, and (break-glass) admins whose session passed our
  own second factor, so a broken provider cannot lock the workspace out.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity.sso_login import BREAK_GLASS_ROLE
from sampark.platform.tenancy.context import TenantRecord
from sampark.web.account.signin import session_has_mfa, session_sso_tenant
from sampark.web.errors import wants_json
from sampark.web.rendering import flash


class SsoRequired(HTTPException):
    """This session may not enter the workspace: ``sso`` says whether its SSO (else a password) is needed."""

    status_code = 403

    def __init__(self, slug: str, *, sso: bool) -> None:
        super().__init__()
        self.slug, self.sso = slug, sso


def sso_satisfied(request: Request[Any, Any, Any], tenant: TenantRecord) -> bool:
    """Whether the session signed in the way this workspace accepts; see the module docstring."""
    sso_tenant = session_sso_tenant(request)
    if sso_tenant is not None:
        return sso_tenant == tenant.id
    return not tenant.sso_only or (tenant.member_role == BREAK_GLASS_ROLE and session_has_mfa(request))


def check_sso(request: Request[Any, Any, Any], tenant: TenantRecord) -> None:
    """Raise SsoRequired unless the session may enter ``tenant``."""
    if not sso_satisfied(request, tenant):
        raise SsoRequired(tenant.slug, sso=session_sso_tenant(request) is None)


def handle_sso_required(request: Request[Any, Any, Any], exc: SsoRequired) -> Response[Any]:
    """Pages go to the right sign-in page (and back afterwards); the API answers 403 with a stable code."""
    if exc.sso:
        code, message = "sso_required", _("This workspace signs you in through its single sign-on.")
    else:
        code = "password_sign_in_required"
        message = _(
            "You signed in through another workspace's single sign-on. Sign in again to open this one."
        )
    if wants_json(request):
        return Response(
            {"error": {"code": code, "message": message}}, status_code=403, media_type=MediaType.JSON
        )
    flash(request, message, "info")
    target = quote(request.scope.get("raw_path", b"").decode("latin-1") or request.url.path, safe="/")
    path = f"/login/sso/{exc.slug}?next={target}" if exc.sso else f"/login?next={target}"
    return Redirect(path=path, status_code=303)


SSO_EXCEPTION_HANDLERS = {SsoRequired: handle_sso_required}
