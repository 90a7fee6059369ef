"""``/signup``, ``/login``, ``/logout`` and the signed-in landing page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect

from sampark.platform.i18n import current_locale
from sampark.platform.i18n import gettext as _
from sampark.platform.identity import ratelimit
from sampark.platform.identity.login_audit import record_auth_event
from sampark.platform.identity.signup import SignupError, SignupForm, region_choices, sign_up, validate_signup
from sampark.platform.identity.sso_login import password_login_allowed, sso_only_workspaces
from sampark.platform.identity.users import authenticate, memberships_for, normalize_email
from sampark.web.account.signin import client_of, finish_password_login, record_failed_login
from sampark.web.rendering import flash, render
from sampark.web.sessions import sign_in, sign_out


def safe_next(target: str | None) -> str | None:
    """Only same-site paths may be redirected to after login (no ``//host`` or scheme tricks)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    include_in_schema = False

    @get("/")
    async def home(self, request: Request[Any, Any, Any]) -> Response[Any]:
        user = request.state.get("user")
        if user is None:
            return render(request, "auth/welcome.html")
        tenants = await memberships_for(user.id)
        if len(tenants) == 1:
            return Redirect(path=f"/t/{tenants[0].slug}/", status_code=303)
        return render(request, "auth/tenants.html", {"tenants": tenants})

    @get("/signup")
    async def signup_form(self, request: Request[Any, Any, Any]) -> Response[str]:
        return render(request, "auth/signup.html", {"form": {}, "errors": {}, "regions": region_choices()})

    @post("/signup")
    async def signup(self, request: Request[Any, Any, Any]) -> Response[Any]:
        data = await request.form()
        form = SignupForm(
            company_name=str(data.get("company_name", "")),
            slug=str(data.get("slug", "")),
            region=str(data.get("region", "")),
            admin_name=str(data.get("admin_name", "")),
            admin_email=str(data.get("admin_email", "")),
            password=str(data.get("password", "")),
            # The admin keeps the language they signed up in, whatever the region's default.
            locale=current_locale(),
        ).normalized()
        errors = validate_signup(form)
        if not errors:
            try:
                tenant, user = await sign_up(form)
            except SignupError as rejected:
                errors = rejected.errors
        if errors:
            shown = {key: value for key, value in form.__dict__.items() if key != "password"}
            return render(
                request,
                "auth/signup.html",
                {"form": shown, "errors": errors, "regions": region_choices()},
                status_code=400,
            )
        response = Redirect(path=f"/t/{tenant.slug}/", status_code=303)
        await sign_in(request, response, user)
        flash(request, _("Welcome to Sampark, %(name)s.", name=user.full_name), "success")
        return response

    @get("/login")
    async def login_form(
        self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None
    ) -> Response[str]:
        return render(request, "auth/login.html", {"email": "", "next": safe_next(next) or "", "error": None})

    @post("/login")
    async def login(self, request: Request[Any, Any, Any]) -> Response[Any]:
        data = await request.form()
        email = normalize_email(str(data.get("email", "")))
        password = str(data.get("password", ""))
        target = safe_next(str(data.get("next", "")))
        context = {"email": email, "next": target or ""}
        allowed, retry_after = await ratelimit.hit_login(
            request.app.state.redis,
            ip=_client_ip(request),
            email=email,
            per_minute=request.app.state.settings.login_attempts_per_minute,
        )
        if not allowed:
            message = _("Too many sign-in attempts. Try again in %(seconds)d seconds.", seconds=retry_after)
            return render(
                request,
                "auth/login.html",
                {**context, "error": message},
                status_code=429,
                headers={"Retry-After": str(retry_after)},
            )
        user = await authenticate(email, password) if email and password else None
        if user is None:
            await record_failed_login(request, email)
            return render(
                request,
                "auth/login.html",
                {**context, "error": _("That e-mail and password do not match an account.")},
                status_code=400,
            )
        if not await password_login_allowed(user.id):
            # Every workspace of this person is SSO-only (and no break-glass applies): docs/authentication.md.
            await record_auth_event("login_sso_required", user_id=user.id, client=client_of(request))
            message = _("Your workspace signs you in through its single sign-on. Use the link below.")
            links = await sso_only_workspaces(user.id)
            return render(
                request, "auth/login.html", {**context, "error": message, "sso_links": links}, status_code=403
            )
        # Signs in, or (2FA accounts) starts the second step at /login/2fa; both audited (web/account).
        return await finish_password_login(request, user, target or "/")

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Response[Any]:
        response = Redirect(path="/login", status_code=303)
        await sign_out(request, response)
        return response
