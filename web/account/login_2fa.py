"""``/login/2fa``: the second step of signing in, with a TOTP code or a recovery code."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity import ratelimit, two_factor
from sampark.platform.identity.login_audit import record_auth_event
from sampark.platform.identity.users import get_user
from sampark.web.account.signin import client_of, complete_sign_in, count_pending_failure, pending_login
from sampark.web.auth.controllers import safe_next
from sampark.web.rendering import flash, render

# Per account, whatever the session: a 6-digit code must not be guessable by opening many sign-ins.
CODES_PER_WINDOW = 5
WINDOW_S = 5 * 60


def _expired(request: Request[Any, Any, Any]) -> Response[Any]:
    flash(request, _("Your sign-in took too long or failed too often. Please sign in again."), "error")
    return Redirect(path="/login", status_code=303)


class TwoFactorLoginController(Controller):
    path = "/login/2fa"
    include_in_schema = False

    @get("/")
    async def form(self, request: Request[Any, Any, Any]) -> Response[Any]:
        if pending_login(request) is None:
            return _expired(request)
        return render(request, "account/login_2fa.html", {"error": None})

    @post("/")
    async def verify(self, request: Request[Any, Any, Any]) -> Response[Any]:
        pending = pending_login(request)
        if pending is None:
            return _expired(request)
        user_id = int(pending["user_id"])
        data = await request.form()
        code = str(data.get("code", "")).strip()[:64]
        allowed, retry_after = await ratelimit.hit(
            request.app.state.redis, ratelimit.limit_key("2fa", str(user_id)), CODES_PER_WINDOW, WINDOW_S
        )
        if not allowed:
            message = _("Too many attempts. Try again in %(seconds)d seconds.", seconds=retry_after)
            return render(
                request,
                "account/login_2fa.html",
                {"error": message},
                status_code=429,
                headers={"Retry-After": str(retry_after)},
            )
        method = await two_factor.verify_second_factor(user_id, code, request.app.state.settings.secret_key)
        user = await get_user(user_id) if method else None
        if method is None or user is None or not user.is_active:
            count_pending_failure(request)
            await record_auth_event("login_2fa_failed", user_id=user_id, client=client_of(request))
            return render(
                request,
                "account/login_2fa.html",
                {"error": _("That code is not valid. Codes change every 30 seconds, and each works once.")},
                status_code=400,
            )
        response: Response[Any] = Redirect(path=safe_next(pending.get("next")) or "/", status_code=303)
        event = "login_recovery_code" if method == "recovery" else "login"
        await complete_sign_in(request, response, user, mfa=True, event=event)
        if method == "recovery":
            left = (await two_factor.status(user.id)).recovery_codes_left
            flash(
                request,
                _(
                    "You used a recovery code; %(count)d are left. Make new ones under Account, Security.",
                    count=left,
                ),
                "info",
            )
        return response
