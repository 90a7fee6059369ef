"""``/ops/account``: the signed-in operator's own account: their role, 2FA, and new recovery codes.

New codes need a current TOTP code (a recovery code does not do: someone holding one stolen code must not
turn it into ten), tried under the same per-operator limit as the sign-in's codes, and are audited.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.platform.operators import roles
from sampark.platform.operators.accounts import (
    OperatorRecord,
    renew_recovery_codes,
    verify_totp,
)
from sampark.platform.operators.console import record
from sampark.web.ops.console import GUARDED, ops_page
from sampark.web.ops.login import code_attempt_allowed
from sampark.web.ops.session import CurrentOperator

_ROLE_HELP = {
    roles.VIEWER: lazy_gettext("You can see the console and workspaces' data, read-only."),
    roles.SUPPORT: lazy_gettext("You can see every workspace and elevate into one to act as its admin."),
    roles.ADMIN: lazy_gettext(
        "You can elevate into workspaces, suspend and resume them, and manage operators."
    ),
}


async def _account_page(
    request: Request[Any, Any, Any],
    operator: OperatorRecord,
    error: str | None = None,
    *,
    status_code: int = 200,
) -> Response[str]:
    context = {
        "role_label": roles.ROLE_LABELS.get(operator.role, operator.role),
        "role_help": _ROLE_HELP.get(operator.role, ""),
        "error": error,
        "errors": {"code": error} if error else {},
    }
    return await ops_page(request, operator, "ops/account.html", context, status_code=status_code)


class OperatorAccountController(Controller):
    path = "/ops/account"
    include_in_schema = False
    dependencies = GUARDED["dependencies"]
    exception_handlers = GUARDED["exception_handlers"]

    @get("/")
    async def show(self, request: Request[Any, Any, Any], operator: CurrentOperator) -> Response[str]:
        return await _account_page(request, operator)

    @post("/recovery-codes")
    async def renew(self, request: Request[Any, Any, Any], operator: CurrentOperator) -> Response[str]:
        code = str((await request.form()).get("code", "")).strip()[:64]
        allowed, retry_after = await code_attempt_allowed(request, operator.id)
        if not allowed:
            error = _("Too many attempts. Try again in %(seconds)d seconds.", seconds=retry_after)
            response = await _account_page(request, operator, error, status_code=429)
            response.headers["Retry-After"] = str(retry_after)
            return response
        if not await verify_totp(operator.id, code, request.app.state.settings.secret_key):
            error = _("That is not a current code from your authenticator app.")
            return await _account_page(request, operator, error, status_code=400)
        codes = await renew_recovery_codes(operator.id)
        await record(operator, "operator.recovery_codes_renewed", None, remaining=len(codes))
        response = await ops_page(
            request, operator, "ops/recovery_codes.html", {"codes": codes, "signing_in": False, "error": None}
        )
        response.headers["Cache-Control"] = "no-store"
        return response
