"""``/account/security``: turn two-factor authentication on (enrol, confirm, recovery codes) and off."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity import totp, two_factor
from sampark.platform.identity.login_audit import events_for_user, record_auth_event
from sampark.platform.identity.session_list import revoke_other_sessions
from sampark.web.account.signin import client_of, set_session_mfa, touch_session
from sampark.web.auth.controllers import safe_next
from sampark.web.deps import require_user
from sampark.web.rendering import flash, render
from sampark.web.sessions import SessionUser, rotate_session

NO_STORE = {"Cache-Control": "no-store"}  # codes shown once must not linger in a browser or proxy cache
ENROL = "totp_enrolment"  # the secret being enrolled, held in the (server-side) session until confirmed


class AccountSecurityController(Controller):
    path = "/account/security"
    include_in_schema = False

    async def _page(
        self,
        request: Request[Any, Any, Any],
        user: SessionUser,
        *,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response[str]:
        touch_session(request)
        session = request.state.get("session") or {}
        secret = session.get(ENROL)
        context = {
            "status": await two_factor.status(user.id),
            "required_by": await two_factor.tenants_requiring_2fa(user.id),
            "enrolling": bool(secret),
            "secret": totp.grouped(secret) if secret else "",
            "otpauth_uri": totp.provisioning_uri(secret, user.email) if secret else "",
            "events": await events_for_user(user.id),
            "next": safe_next(request.query_params.get("next")) or "",
            "errors": errors or {},
        }
        headers = NO_STORE if secret else None  # the secret being enrolled is on this page
        return render(request, "account/security.html", context, status_code=status_code, headers=headers)

    @get("/")
    async def index(self, request: Request[Any, Any, Any]) -> Response[str]:
        return await self._page(request, require_user(request))

    @post("/enrol")
    async def enrol(self, request: Request[Any, Any, Any]) -> Response[Any]:
        user = require_user(request)
        if await two_factor.is_enabled(user.id):
            return Redirect(path="/account/security", status_code=303)
        request.state.session[ENROL] = totp.new_secret()
        request.state.session_dirty = True
        next_target = safe_next(str((await request.form()).get("next", "")))
        query = f"?next={quote(next_target, safe='/')}" if next_target else ""
        return Redirect(path=f"/account/security{query}", status_code=303)

    @post("/cancel")
    async def cancel(self, request: Request[Any, Any, Any]) -> Response[Any]:
        require_user(request)
        request.state.session.pop(ENROL, None)
        request.state.session_dirty = True
        return Redirect(path="/account/security", status_code=303)

    @post("/confirm")
    async def confirm(self, request: Request[Any, Any, Any]) -> Response[Any]:
        user = require_user(request)
        data = await request.form()
        secret = (request.state.session or {}).get(ENROL)
        if not secret:
            flash(request, _("Start again: the set-up was cancelled or already finished."), "error")
            return Redirect(path="/account/security", status_code=303)
        codes = await two_factor.confirm_enrolment(
            user.id, secret, str(data.get("code", "")), request.app.state.settings.secret_key
        )
        if codes is None:
            return await self._page(
                request,
                user,
                errors={
                    "code": _(
                        "That code does not match. Check the time on your phone and try the newest code."
                    )
                },
                status_code=400,
            )
        request.state.session.pop(ENROL, None)
        set_session_mfa(request, True)
        # A credential changed: other sessions, opened without the second factor, are signed out.
        await revoke_other_sessions(request.app.state.redis, user.id, request.state.get("session_id"))
        await record_auth_event("2fa_enabled", user_id=user.id, client=client_of(request))
        next_target = safe_next(str(data.get("next", ""))) or "/account/security"
        response = render(
            request,
            "account/recovery_codes.html",
            {"codes": codes, "next": next_target, "fresh": True},
            headers=NO_STORE,
        )
        await rotate_session(request, response)  # a privilege change: this session now counts as 2FA
        return response

    @post("/recovery-codes")
    async def renew_codes(self, request: Request[Any, Any, Any]) -> Response[Any]:
        user = require_user(request)
        data = await request.form()
        if not await two_factor.is_enabled(user.id):
            return Redirect(path="/account/security", status_code=303)
        if not await two_factor.check_password(user.id, str(data.get("renew_password", ""))):
            return await self._page(
                request,
                user,
                errors={"renew_password": _("That is not your current password.")},
                status_code=400,
            )
        codes = await two_factor.renew_recovery_codes(user.id)
        await record_auth_event("recovery_codes_renewed", user_id=user.id, client=client_of(request))
        return render(
            request,
            "account/recovery_codes.html",
            {"codes": codes, "next": "/account/security", "fresh": False},
            headers=NO_STORE,
        )

    @post("/disable")
    async def disable(self, request: Request[Any, Any, Any]) -> Response[Any]:
        user = require_user(request)
        data = await request.form()
        errors: dict[str, str] = {}
        required_by = await two_factor.tenants_requiring_2fa(user.id)
        if required_by:
            errors["password"] = _(
                "These workspaces require two-factor authentication, so it cannot be turned off: %(names)s.",
                names=", ".join(required_by),
            )
        elif not await two_factor.check_password(user.id, str(data.get("password", ""))):
            errors["password"] = _("That is not your current password.")
        elif not await two_factor.verify_second_factor(
            user.id, str(data.get("code", "")), request.app.state.settings.secret_key
        ):
            errors["code"] = _("That code is not valid.")
        if errors:
            return await self._page(request, user, errors=errors, status_code=400)
        await two_factor.disable(user.id)
        set_session_mfa(request, False)
        await revoke_other_sessions(request.app.state.redis, user.id, request.state.get("session_id"))
        await record_auth_event("2fa_disabled", user_id=user.id, client=client_of(request))
        flash(request, _("Two-factor authentication is off. Other sessions were signed out."), "success")
        response = Redirect(path="/account/security", status_code=303)
        await rotate_session(request, response)
        return response
