"""``/account/sessions``: where the user is signed in, and signing any of those sessions out at once."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import ngettext
from sampark.platform.identity.login_audit import record_auth_event
from sampark.platform.identity.session_list import (
    handle_for,
    list_sessions,
    revoke_other_sessions,
    revoke_session,
)
from sampark.platform.identity.sessions import session_key
from sampark.web.account.signin import client_of, touch_session
from sampark.web.deps import require_user
from sampark.web.rendering import flash, render
from sampark.web.sessions import session_cookie


class AccountSessionsController(Controller):
    path = "/account/sessions"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request[Any, Any, Any]) -> Response[str]:
        user = require_user(request)
        touch_session(request)
        sessions = await list_sessions(request.app.state.redis, user.id, request.state.get("session_id"))
        return render(request, "account/sessions.html", {"sessions": sessions})

    @post("/{handle:str}/revoke")
    async def revoke(self, request: Request[Any, Any, Any], handle: FromPath[str]) -> Response[Any]:
        user = require_user(request)
        current = request.state.get("session_id")
        is_current = current is not None and handle == handle_for(session_key(current))
        if not await revoke_session(request.app.state.redis, user.id, handle[:64]):
            flash(request, _("That session had already ended."), "info")
            return Redirect(path="/account/sessions", status_code=303)
        await record_auth_event("session_revoked", user_id=user.id, client=client_of(request))
        if is_current:  # the user signed this very browser out
            response: Response[Any] = Redirect(path="/login", status_code=303)
            request.state.session_id, request.state.session = None, None
            response.set_cookie(session_cookie(request, "", delete=True))
            return response
        flash(request, _("The session was signed out."), "success")
        return Redirect(path="/account/sessions", status_code=303)

    @post("/revoke-others")
    async def revoke_others(self, request: Request[Any, Any, Any]) -> Response[Any]:
        user = require_user(request)
        count = await revoke_other_sessions(request.app.state.redis, user.id, request.state.get("session_id"))
        if count:
            await record_auth_event("sessions_revoked", user_id=user.id, client=client_of(request))
        message = ngettext(
            "Signed out of %(num)d other session.", "Signed out of %(num)d other sessions.", count
        )
        flash(request, message, "success")
        return Redirect(path="/account/sessions", status_code=303)
