"""Signing in, in steps: the password, then the second factor when the account has one.

After a correct password a 2FA account gets a fresh session that is only "half signed in": it names the user
in ``pending_2fa`` but carries no ``user_id``, so every page still treats it as anonymous. ``/login/2fa``
turns it into a signed-in session under a new id (the half-signed id dies). Every signed-in session records
where it was opened (address, browser) and whether a second factor was used, for the sessions page and the
tenants' 2FA policy.
"""

from __future__ import annotations

import time
from typing import Any

from litestar import Request, Response
from litestar.response import Redirect

from sampark.platform.identity import two_factor
from sampark.platform.identity.login_audit import MAX_USER_AGENT, Client, record_auth_event
from sampark.platform.identity.session_list import META_IP, META_LAST_SEEN, META_MFA, META_USER_AGENT
from sampark.platform.identity.sessions import SessionStore
from sampark.platform.identity.users import UserRecord, get_user_by_email
from sampark.web.sessions import session_cookie, sign_in

PENDING = "pending_2fa"
PENDING_LIFETIME_S = 5 * 60
MAX_PENDING_FAILURES = 5
SEEN_EVERY_S = 60
# The workspace whose SSO signed this session in; None for a password sign-in (docs/authentication.md).
SSO_TENANT = "sso_tenant_id"  # write "last seen" at most this often, to spare Redis a write per request


def client_of(request: Request[Any, Any, Any]) -> Client:
    return Client(
        ip=request.client.host if request.client else "",
        user_agent=request.headers.get("user-agent", "")[:MAX_USER_AGENT],
    )


def _store(request: Request[Any, Any, Any]) -> SessionStore:
    store: SessionStore = request.app.state.sessions
    return store


def _meta(request: Request[Any, Any, Any], *, mfa: bool) -> dict[str, Any]:
    client = client_of(request)
    return {
        META_IP: client.ip,
        META_USER_AGENT: client.user_agent,
        META_LAST_SEEN: time.time(),
        META_MFA: mfa,
    }


async def complete_sign_in(
    request: Request[Any, Any, Any],
    response: Response[Any],
    user: UserRecord,
    *,
    mfa: bool,
    event: str = "login",
    tenant_id: int | None = None,
    sso_tenant_id: int | None = None,
) -> None:
    """Sign ``user`` in on a new session id (``web.sessions.sign_in``), with its origin and 2FA state.

    ``sso_tenant_id`` names the workspace whose single sign-on vouched for the user (None: a password).
    """
    await sign_in(request, response, user)
    session = request.state.get("session")
    if session is not None:
        session.pop(PENDING, None)
        # Set every key, even False: the previous session's data is merged in, and must not lend its 2FA.
        session.update(_meta(request, mfa=mfa))
        session[SSO_TENANT] = sso_tenant_id
        request.state.session_dirty = True
    await record_auth_event(event, user_id=user.id, tenant_id=tenant_id, client=client_of(request))


async def start_second_factor(
    request: Request[Any, Any, Any], user: UserRecord, target: str
) -> Response[Any]:
    """Replace the browser's session by a half-signed-in one and send it to ``/login/2fa``."""
    store = _store(request)
    await store.destroy(request.state.get("session_id"))
    pending = {"user_id": user.id, "since": time.time(), "next": target, "failures": 0}
    # Bound to the user, so "sign out everywhere" and a password reset end a half-finished sign-in too.
    session_id = await store.create(user.id, {PENDING: pending, **_meta(request, mfa=False)})
    session = await store.load(session_id)
    request.state.session_id = session_id
    request.state.session = session.data if session is not None else None
    request.state.session_dirty = False
    response: Response[Any] = Redirect(path="/login/2fa", status_code=303)
    response.set_cookie(session_cookie(request, session_id))
    return response


async def finish_password_login(
    request: Request[Any, Any, Any], user: UserRecord, target: str
) -> Response[Any]:
    """After a correct password: sign in, or ask for the second factor first."""
    if await two_factor.is_enabled(user.id):
        return await start_second_factor(request, user, target)
    response: Response[Any] = Redirect(path=target, status_code=303)
    await complete_sign_in(request, response, user, mfa=False)
    return response


def pending_login(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    """The half-finished sign-in of this session, unless it is missing, expired or failed too often."""
    session = request.state.get("session") or {}
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or "user_id" not in pending:
        return None
    if time.time() - float(pending.get("since", 0)) > PENDING_LIFETIME_S:
        return None
    if int(pending.get("failures", 0)) >= MAX_PENDING_FAILURES:
        return None
    return pending


def count_pending_failure(request: Request[Any, Any, Any]) -> None:
    pending = pending_login(request)
    if pending is not None:
        pending["failures"] = int(pending.get("failures", 0)) + 1
        request.state.session_dirty = True


async def record_failed_login(request: Request[Any, Any, Any], email: str) -> None:
    """Log a refused password; the user is named when the address has an account (never what was typed)."""
    user = await get_user_by_email(email) if email else None
    await record_auth_event("login_failed", user_id=user.id if user else None, client=client_of(request))


def session_sso_tenant(request: Request[Any, Any, Any]) -> int | None:
    session = request.state.get("session") or {}
    value = session.get(SSO_TENANT)
    return int(value) if isinstance(value, int) else None


def session_has_mfa(request: Request[Any, Any, Any]) -> bool:
    session = request.state.get("session") or {}
    return bool(session.get(META_MFA))


def set_session_mfa(request: Request[Any, Any, Any], mfa: bool) -> None:
    session = request.state.get("session")
    if session is not None:
        session[META_MFA] = mfa
        request.state.session_dirty = True


def touch_session(request: Request[Any, Any, Any]) -> None:
    """Note that the session was just used (at most once a minute), for the sessions page."""
    session = request.state.get("session")
    if session is None:
        return
    now = time.time()
    if now - float(session.get(META_LAST_SEEN) or 0) >= SEEN_EVERY_S:
        session[META_LAST_SEEN] = now
        request.state.session_dirty = True
