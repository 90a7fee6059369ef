"""``/ops/login``: an operator signs in with a password, then a TOTP or recovery code; the first time, they
enrol TOTP and are shown their recovery codes once.

There is no way past the second step without a code: a session is usable in the console only once it reaches
``stage == "done"``, and it gets there only from the code form or, after enrolment, from confirming the
recovery codes were saved, each time on a new session id.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity import ratelimit, totp
from sampark.platform.operators.accounts import (
    authenticate_operator,
    confirm_totp,
    find_operator,
    get_active_operator,
    get_operator,
    recovery_codes_left,
    renew_recovery_codes,
    verify_second_factor,
)
from sampark.platform.operators.console import record
from sampark.web.ops import session as ops
from sampark.web.rendering import render

# Per account whatever the session, as for tenant users' codes (web/account/login_2fa.py).
CODES_PER_WINDOW = 5
CODE_WINDOW_S = 5 * 60
LOGIN_WINDOW_S = 60


def _too_many(
    request: Request[Any, Any, Any], template: str, retry_after: int, **context: Any
) -> Response[Any]:
    message = _("Too many attempts. Try again in %(seconds)d seconds.", seconds=retry_after)
    return render(
        request,
        template,
        {**context, "error": message},
        status_code=429,
        headers={"Retry-After": str(retry_after)},
    )


def _expired() -> Response[Any]:
    return Redirect(path="/ops/login?expired=1", status_code=303)


async def _login_allowed(request: Request[Any, Any, Any], email: str) -> tuple[bool, int]:
    """The tenant sign-in's limits, on counters of their own (an operator's address may also be a user's)."""
    per_minute = request.app.state.settings.login_attempts_per_minute
    redis = request.app.state.redis
    ip = request.client.host if request.client else "unknown"
    allowed, wait = await ratelimit.hit(
        redis, ratelimit.limit_key("ops-login-ip", ip), per_minute * 5, LOGIN_WINDOW_S
    )
    if not allowed:
        return False, wait
    return await ratelimit.hit(
        redis, ratelimit.limit_key("ops-login-email", email.strip().lower()), per_minute, LOGIN_WINDOW_S
    )


async def code_attempt_allowed(request: Request[Any, Any, Any], operator_id: int) -> tuple[bool, int]:
    """One TOTP or recovery code tried by the operator: the shared per-operator limit of every code form."""
    return await ratelimit.hit(
        request.app.state.redis,
        ratelimit.limit_key("ops-2fa", str(operator_id)),
        CODES_PER_WINDOW,
        CODE_WINDOW_S,
    )


def recovery_codes_page(
    request: Request[Any, Any, Any], codes: list[str], *, error: str | None = None, status_code: int = 200
) -> Response[Any]:
    """The new recovery codes, shown this once (never cached); at sign-in, with the "I saved them" form."""
    return render(
        request,
        "ops/recovery_codes.html",
        {"codes": codes, "error": error, "signing_in": True},
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )


async def _finish(request: Request[Any, Any, Any], operator_id: int) -> Response[Any]:
    response: Response[Any] = Redirect(path="/ops/", status_code=303)
    await ops.start(request, response, {"operator_id": operator_id, "stage": ops.STAGE_DONE})
    operator = await get_operator(operator_id)
    assert operator is not None
    await record(operator, "operator.login", None)
    return response


class OperatorLoginController(Controller):
    path = "/ops/login"
    include_in_schema = False

    @get("/")
    async def form(self, request: Request[Any, Any, Any]) -> Response[Any]:
        error = _("Your sign-in took too long or failed too often. Please sign in again.")
        return render(
            request, "ops/login.html", {"error": error if request.query_params.get("expired") else None}
        )

    @post("/")
    async def login(self, request: Request[Any, Any, Any]) -> Response[Any]:
        data = await request.form()
        email, password = str(data.get("email", ""))[:640], str(data.get("password", ""))
        allowed, retry_after = await _login_allowed(request, email)
        if not allowed:
            return _too_many(request, "ops/login.html", retry_after, email=email)
        operator = await authenticate_operator(email, password)
        if operator is None:
            if (known := await find_operator(email)) is not None:
                await record(known, "operator.login_failed", None)
            error = _("That e-mail address and password do not match an active operator account.")
            return render(request, "ops/login.html", {"error": error, "email": email}, status_code=400)
        response: Response[Any] = Redirect(
            path="/ops/login/2fa" if operator.has_totp else "/ops/login/enrol", status_code=303
        )
        stage = ops.STAGE_TOTP if operator.has_totp else ops.STAGE_ENROL
        await ops.start(request, response, {"operator_id": operator.id, "stage": stage, "failures": 0})
        return response

    @get("/2fa")
    async def code_form(self, request: Request[Any, Any, Any]) -> Response[Any]:
        if await ops.pending(request, ops.STAGE_TOTP) is None:
            return _expired()
        return render(request, "ops/login_2fa.html", {"error": None})

    @post("/2fa")
    async def verify(self, request: Request[Any, Any, Any]) -> Response[Any]:
        pending = await ops.pending(request, ops.STAGE_TOTP)
        if pending is None:
            return _expired()
        operator_id = int(pending["operator_id"])
        code = str((await request.form()).get("code", "")).strip()[:64]
        allowed, retry_after = await code_attempt_allowed(request, operator_id)
        if not allowed:
            return _too_many(request, "ops/login_2fa.html", retry_after)
        operator = await get_active_operator(operator_id)  # first: a disabled account spends no code
        secret_key = request.app.state.settings.secret_key
        method = await verify_second_factor(operator_id, code, secret_key) if operator else None
        if method is None or operator is None:
            pending["failures"] = int(pending.get("failures", 0)) + 1
            await ops.save(request)
            error = _("That code is not valid. Codes change every 30 seconds, and each works once.")
            return render(request, "ops/login_2fa.html", {"error": error}, status_code=400)
        response = await _finish(request, operator_id)
        if method == "recovery":
            left = await recovery_codes_left(operator_id)
            await record(operator, "operator.recovery_code_used", None, remaining=left)
            await ops.notice(
                request,
                _("You signed in with a recovery code. Recovery codes left: %(count)d.", count=left),
            )
        return response

    @get("/enrol")
    async def enrol_form(self, request: Request[Any, Any, Any]) -> Response[Any]:
        pending = await ops.pending(request, ops.STAGE_ENROL)
        if pending is None:
            return _expired()
        if not pending.get("secret"):
            pending["secret"] = totp.new_secret()
            await ops.save(request)
        return await self._enrol_page(request, pending, None, 200)

    @post("/enrol")
    async def enrol(self, request: Request[Any, Any, Any]) -> Response[Any]:
        pending = await ops.pending(request, ops.STAGE_ENROL)
        if pending is None or not pending.get("secret"):
            return _expired()
        operator_id = int(pending["operator_id"])
        code = str((await request.form()).get("code", "")).strip()[:64]
        allowed, retry_after = await code_attempt_allowed(request, operator_id)
        if not allowed:
            return await self._enrol_page(request, pending, _too_many_text(retry_after), 429)
        codes = await confirm_totp(
            operator_id, pending["secret"], code, request.app.state.settings.secret_key
        )
        if codes is None:
            pending["failures"] = int(pending.get("failures", 0)) + 1
            await ops.save(request)
            error = _("That code does not match. Check the key you typed and the time on your phone.")
            return await self._enrol_page(request, pending, error, 400)
        response = recovery_codes_page(request, codes)
        # Not in the console yet: first the operator confirms they saved the codes (a new session id).
        await ops.start(request, response, {"operator_id": operator_id, "stage": ops.STAGE_CODES})
        return response

    @post("/codes")
    async def codes_saved(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """The operator confirms they saved their recovery codes; without the tick they get new ones."""
        pending = await ops.pending(request, ops.STAGE_CODES)
        if pending is None or await get_active_operator(int(pending["operator_id"])) is None:
            return _expired()
        operator_id = int(pending["operator_id"])
        if str((await request.form()).get("saved", "")) != "1":
            # The codes on the last page are not shown again (they are stored only as digests): new ones.
            error = _("Tick the box once you have saved these codes. The codes shown before no longer work.")
            codes = await renew_recovery_codes(operator_id)
            return recovery_codes_page(request, codes, error=error, status_code=400)
        return await _finish(request, operator_id)

    @staticmethod
    async def _enrol_page(
        request: Request[Any, Any, Any], pending: dict[str, Any], error: str | None, status: int
    ) -> Response[Any]:
        operator = await get_operator(int(pending["operator_id"]))
        secret = str(pending["secret"])
        context = {
            "error": error,
            "secret": totp.grouped(secret),
            "uri": totp.provisioning_uri(secret, operator.email if operator else "", issuer="Sampark ops"),
        }
        return render(
            request,
            "ops/login_enrol.html",
            context,
            status_code=status,
            headers={"Cache-Control": "no-store"},
        )


def _too_many_text(retry_after: int) -> str:
    return _("Too many attempts. Try again in %(seconds)d seconds.", seconds=retry_after)


class OperatorLogoutController(Controller):
    path = "/ops/logout"
    include_in_schema = False

    @post("/")
    async def logout(self, request: Request[Any, Any, Any]) -> Response[Any]:
        response: Response[Any] = Redirect(path="/ops/login", status_code=303)
        await ops.end(request, response)
        return response
