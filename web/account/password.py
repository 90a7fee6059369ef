"""``/password/forgot`` and ``/password/reset/<token>``: choosing a new password through an e-mailed link."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity import ratelimit, reset, two_factor
from sampark.platform.identity.login_audit import record_auth_event
from sampark.platform.identity.sessions import SessionStore
from sampark.platform.identity.users import get_user, normalize_email, validate_email
from sampark.web.account.signin import client_of, complete_sign_in, start_second_factor
from sampark.web.rendering import flash, render

FORGOT_PER_HOUR_PER_IP = 20
FORGOT_PER_HOUR_PER_EMAIL = 3
_HOUR = 3600


def _hide_token(request: Request[Any, Any, Any]) -> None:
    """Keep the link's token out of every access log: they all read the scope's path after the handler ran."""
    request.scope["path"] = "/password/reset/[token]"


class PasswordResetController(Controller):
    path = "/password"
    include_in_schema = False

    @get("/forgot")
    async def forgot_form(self, request: Request[Any, Any, Any]) -> Response[str]:
        return render(request, "account/forgot.html", {"email": "", "errors": {}})

    @post("/forgot")
    async def forgot(self, request: Request[Any, Any, Any]) -> Response[Any]:
        data = await request.form()
        email = normalize_email(str(data.get("email", "")))
        if problem := validate_email(email):
            return render(
                request,
                "account/forgot.html",
                {"email": email, "errors": {"email": problem}},
                status_code=400,
            )
        redis = request.app.state.redis
        client = client_of(request)
        # Counted for every address alike, so being limited says nothing about whether an account exists.
        for key, limit in (
            (ratelimit.limit_key("reset-ip", client.ip), FORGOT_PER_HOUR_PER_IP),
            (ratelimit.limit_key("reset-email", email), FORGOT_PER_HOUR_PER_EMAIL),
        ):
            allowed, retry_after = await ratelimit.hit(redis, key, limit, _HOUR)
            if not allowed:
                message = _(
                    "Too many requests. Try again in %(minutes)d minutes.", minutes=-(-retry_after // 60)
                )
                return render(
                    request,
                    "account/forgot.html",
                    {"email": email, "errors": {"email": message}},
                    status_code=429,
                    headers={"Retry-After": str(retry_after)},
                )
        user_id = await reset.request_reset(email, request.app.state.settings.secret_key)
        if user_id is not None:
            await record_auth_event("password_reset_requested", user_id=user_id, client=client)
        # The same answer whether or not the address has an account.
        return Redirect(path="/password/forgot/sent", status_code=303)

    @get("/forgot/sent")
    async def forgot_sent(self, request: Request[Any, Any, Any]) -> Response[str]:
        minutes = int(reset.TOKEN_LIFETIME.total_seconds() // 60)
        return render(request, "account/forgot_sent.html", {"minutes": minutes})

    @get("/reset/{token:str}")
    async def reset_form(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Response[str]:
        _hide_token(request)
        ticket = await reset.find_ticket(token)
        if ticket is None:
            return render(
                request,
                "account/reset_invalid.html",
                {"message": reset.invalid_link_message()},
                status_code=404,
            )
        return render(request, "account/reset.html", {"token": token, "email": ticket.email, "errors": {}})

    @post("/reset/{token:str}")
    async def reset_password(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
        _hide_token(request)
        data = await request.form()
        password = str(data.get("password", ""))
        try:
            ticket = await reset.complete_reset(token, password)
        except reset.ResetError as rejected:
            if "token" in rejected.errors:
                return render(
                    request,
                    "account/reset_invalid.html",
                    {"message": rejected.errors["token"]},
                    status_code=404,
                )
            found = await reset.find_ticket(token)
            return render(
                request,
                "account/reset.html",
                {"token": token, "email": found.email if found else "", "errors": rejected.errors},
                status_code=400,
            )
        store: SessionStore = request.app.state.sessions
        # Whoever knew the old password is out, everywhere (this browser's session too: it starts afresh).
        await store.destroy_all_for_user(ticket.user_id)
        await store.destroy(request.state.get("session_id"))
        request.state.session_id, request.state.session = None, None
        await record_auth_event("password_reset", user_id=ticket.user_id, client=client_of(request))
        user = await get_user(ticket.user_id)
        assert user is not None
        if await two_factor.is_enabled(user.id):
            # A mailbox alone must not get past the second factor.
            response = await start_second_factor(request, user, "/")
        else:
            response = Redirect(path="/", status_code=303)
            await complete_sign_in(request, response, user, mfa=False)
        flash(request, _("Your password was changed. Every other session was signed out."), "success")
        return response
