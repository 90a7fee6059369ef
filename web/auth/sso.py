"""``/login/sso/<slug>``: sign in through a tenant's OpenID Connect provider.

1. ``GET /login/sso/<slug>`` shows the tenant's "Sign in with SSO" button (a POST, so the CSRF check covers it).
2. ``POST .../start`` puts state, nonce and the PKCE verifier in the server-side session (an anonymous one is
   made when the browser has none) and sends the browser to the provider.
3. ``GET .../callback`` spends that pending login (once), checks the response's ``iss`` (RFC 9207), exchanges
   the code, validates the id_token, reads userinfo when the id_token lacks the e-mail claims, finds or creates
   the user, and signs them in on a new session id. Every failure is a translated page, never a 500.
"""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Any, Final

import structlog
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity import oidc, oidc_id_token, oidc_userinfo
from sampark.platform.identity.login_audit import record_auth_event
from sampark.platform.identity.sessions import SessionStore
from sampark.platform.identity.sso_config import SsoSettings, client_secret, get_sso_by_slug
from sampark.platform.identity.sso_login import SsoRefused, sso_user
from sampark.web.account.signin import client_of, complete_sign_in
from sampark.web.auth.controllers import safe_next
from sampark.web.rendering import render
from sampark.web.sessions import session_cookie

log = structlog.get_logger(__name__)

PENDING_KEY: Final = "sso_pending"
PENDING_LIFETIME_S: Final = 10 * 60


def _messages() -> dict[str, str]:
    return {
        "not_configured": _("This workspace does not offer single sign-on."),
        "provider_unreachable": _("The identity provider did not answer. Try again in a moment."),
        "metadata_invalid": _("The identity provider's settings are not valid. Ask your administrator."),
        "issuer_invalid": _("The identity provider's settings are not valid. Ask your administrator."),
        "issuer_not_https": _("The identity provider's settings are not valid. Ask your administrator."),
        "secret_unreadable": _("Single sign-on is not set up completely. Ask your administrator."),
        "access_denied": _("The sign-in was cancelled at the identity provider."),
        "state_mismatch": _("This sign-in link is not valid any more. Start again."),
        "token_exchange_failed": _("The identity provider refused the sign-in. Start again."),
        "invalid_id_token": _("The identity provider's answer could not be verified. Start again."),
        "issuer_mismatch": _("The answer did not come from this workspace's identity provider. Start again."),
        "userinfo_failed": _("The identity provider did not send your profile. Try again in a moment."),
        "userinfo_sub_mismatch": _("The identity provider's answer could not be verified. Start again."),
        "email_unverified": _("The identity provider did not confirm your e-mail address."),
        "domain_not_allowed": _("Your e-mail address is not in a domain this workspace accepts."),
        "account_inactive": _("Your account or membership is deactivated. Ask your administrator."),
        "link_refused": _(
            "An account with your e-mail address already exists. Ask an administrator of this workspace to add it."
        ),
    }


def sso_error(request: Request[Any, Any, Any], code: str, status_code: int = 400) -> Response[str]:
    messages = _messages()
    return render(
        request,
        "errors/error.html",
        {"status": status_code, "title": _("Single sign-on failed"), "message": messages.get(code, code)},
        status_code=status_code,
    )


def redirect_uri(request: Request[Any, Any, Any], slug: str) -> str:
    base = request.app.state.settings.base_url or str(request.base_url)
    return f"{base.rstrip('/')}/login/sso/{slug}/callback"


async def _ensure_session(request: Request[Any, Any, Any], response: Response[Any]) -> dict[str, Any]:
    """The browser's session data, creating an anonymous session when it has none."""
    session = request.state.get("session")
    if session is not None:
        return session
    store: SessionStore = request.app.state.sessions
    session_id = await store.create(None, {})
    loaded = await store.load(session_id)
    request.state.session_id = session_id
    request.state.session = loaded.data if loaded is not None else {}
    response.set_cookie(session_cookie(request, session_id))
    return request.state.session


def _take_pending(request: Request[Any, Any, Any], slug: str, state: str) -> dict[str, Any] | None:
    """Spend the session's pending login (whatever the outcome: a state works once)."""
    session = request.state.get("session") or {}
    pending = session.pop(PENDING_KEY, None)
    if pending is not None:
        request.state.session_dirty = True
    if not isinstance(pending, dict) or pending.get("slug") != slug or not state:
        return None
    if time.time() - float(pending.get("since", 0)) > PENDING_LIFETIME_S:
        return None
    if not secrets.compare_digest(str(pending.get("state", "")), state):
        return None
    return pending


class SsoLoginController(Controller):
    path = "/login/sso/{slug:str}"
    include_in_schema = False

    @get("/")
    async def page(
        self, request: Request[Any, Any, Any], slug: FromPath[str], next: FromQuery[str | None] = None
    ) -> Response[str]:
        settings = await get_sso_by_slug(slug)
        if settings is None:
            return sso_error(request, "not_configured", 404)
        return render(request, "auth/sso_login.html", {"sso": settings, "next": safe_next(next) or ""})

    @post("/start")
    async def start(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        settings = await get_sso_by_slug(slug)
        if settings is None:
            return sso_error(request, "not_configured", 404)
        try:
            metadata = await oidc.discover(settings.issuer)
        except oidc.OidcError as error:
            log.warning("sso_discovery_failed", tenant=slug, code=error.code)
            return sso_error(request, error.code, 502)
        pending = oidc.new_pending()
        target = safe_next(str((await request.form()).get("next", ""))) or f"/t/{slug}/"
        url = oidc.authorization_url(metadata, settings.client_id, redirect_uri(request, slug), pending)
        response: Response[Any] = Redirect(path=url, status_code=303)
        session = await _ensure_session(request, response)
        session[PENDING_KEY] = {
            "slug": slug,
            "state": pending.state,
            "nonce": pending.nonce,
            "verifier": pending.code_verifier,
            "since": time.time(),
            "next": target,
        }
        request.state.session_dirty = True
        return response

    @get("/callback")
    async def callback(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        code: FromQuery[str] = "",
        # "state" is a reserved name in Litestar
        returned_state: Annotated[str, QueryParameter(name="state")] = "",
        error: FromQuery[str] = "",
        iss: FromQuery[str | None] = None,
    ) -> Response[Any]:
        pending = _take_pending(request, slug, returned_state)
        settings = await get_sso_by_slug(slug)
        if settings is None:
            return sso_error(request, "not_configured", 404)
        if pending is None:
            return await self._fail(request, settings, "state_mismatch")
        if error or not code:
            return await self._fail(request, settings, "access_denied")
        try:
            claims = await self._claims(request, settings, pending, code, iss)
            user, created = await sso_user(settings, claims)
        except (oidc.OidcError, SsoRefused) as failure:
            return await self._fail(request, settings, failure.code, detail=str(failure))
        response: Response[Any] = Redirect(path=pending.get("next") or f"/t/{slug}/", status_code=303)
        # The session speaks for this workspace only (docs/authentication.md, "Single sign-on").
        await complete_sign_in(
            request,
            response,
            user,
            mfa=False,
            event="login_sso",
            tenant_id=settings.tenant_id,
            sso_tenant_id=settings.tenant_id,
        )
        log.info("sso_login", tenant=slug, user_id=user.id, created=created)
        return response

    async def _claims(
        self,
        request: Request[Any, Any, Any],
        settings: SsoSettings,
        pending: dict[str, Any],
        code: str,
        iss: str | None,
    ) -> dict[str, Any]:
        metadata = await oidc.discover(settings.issuer)
        oidc.check_response_issuer(metadata, iss)  # before the code goes anywhere (RFC 9207 mix-up defence)
        secret = await client_secret(settings.tenant_id, request.app.state.settings.secret_key)
        if secret is None:
            raise oidc.OidcError("secret_unreadable")
        flow = oidc.PendingLogin(
            state=pending["state"], nonce=pending["nonce"], code_verifier=pending["verifier"]
        )
        tokens = await oidc.exchange_code(
            metadata,
            settings.client_id,
            secret,
            code=code,
            redirect_uri=redirect_uri(request, settings.tenant_slug),
            pending=flow,
        )
        id_claims = await oidc_id_token.validate_id_token(
            tokens.id_token, metadata, client_id=settings.client_id, nonce=flow.nonce
        )
        return await oidc_userinfo.person_claims(metadata, tokens, id_claims)

    async def _fail(
        self, request: Request[Any, Any, Any], settings: SsoSettings, code: str, detail: str = ""
    ) -> Response[str]:
        log.warning("sso_login_failed", tenant=settings.tenant_slug, code=code, detail=detail)
        await record_auth_event("login_sso_failed", tenant_id=settings.tenant_id, client=client_of(request))
        status = 502 if code in ("provider_unreachable", "userinfo_failed") else 400
        return sso_error(request, code, status)
