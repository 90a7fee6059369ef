"""``/invitations/<token>``: the page an invitation mail links to.

Opening the link changes nothing (mail scanners fetch links); joining is a POST. Who may join:

- signed in as the invited address: one button joins the workspace;
- signed in as someone else: refused, with a way to sign out (a forwarded link must not attach another account);
- signed out, and the address has an account: sign in first, then come back here;
- signed out, no account: name and password create the account, join, and sign in.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity.invitations import (
    InvitationError,
    InvitationLookup,
    NewAccount,
    accept_invitation,
    find_invitation,
)
from sampark.platform.identity.users import IdentityError
from sampark.tenants.access.services import record_member_joined
from sampark.web.rendering import flash, render
from sampark.web.sessions import SessionUser, sign_in

# 410 Gone for links that existed but can no longer be used; 404 for tokens we never issued.
_STATUS = {"not_found": 404, "expired": 410, "revoked": 410, "accepted": 410, "tenant_inactive": 410}


def _problem(code: str) -> tuple[str, str]:
    messages = {
        "not_found": (
            _("Invitation not found"),
            _("This link is not valid. Check that you copied all of it."),
        ),
        "expired": (
            _("Invitation expired"),
            _("This invitation has expired. Ask your administrator to send a new one."),
        ),
        "revoked": (_("Invitation withdrawn"), _("This invitation was withdrawn by an administrator.")),
        "accepted": (
            _("Invitation already used"),
            _("This invitation has been used already. Sign in to continue."),
        ),
        "tenant_inactive": (_("Workspace unavailable"), _("This workspace is not available at the moment.")),
    }
    return messages.get(code, messages["not_found"])


def _page(
    request: Request[Any, Any, Any],
    token: str,
    found: InvitationLookup | None,
    *,
    problem: str | None = None,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    if found is not None and problem is None:
        status = found.invitation.status
        problem = status if status != "pending" else (None if found.tenant_active else "tenant_inactive")
    if found is None:
        problem = "not_found"
    user: SessionUser | None = request.state.get("user")
    context: dict[str, Any] = {
        "token": token,
        "found": found,
        "problem": _problem(problem) if problem else None,
        "signed_in_as": user.email if user else None,
        "matches": user is not None and found is not None and user.email == found.invitation.email,
        "form": form or {},
        "errors": errors or {},
    }
    if problem:
        status_code = _STATUS.get(problem, 404)
    return render(request, "admin/invitation.html", context, status_code=status_code)


def _hide_token(request: Request[Any, Any, Any]) -> None:
    """Keep the link's token out of the access log, which reads the scope's path after the handler ran."""
    request.scope["path"] = "/invitations/[token]"


class InvitationController(Controller):
    path = "/invitations"
    include_in_schema = False

    @get("/{token:str}")
    async def show(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Response[str]:
        _hide_token(request)
        return _page(request, token, await find_invitation(token))

    @post("/{token:str}")
    async def accept(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
        _hide_token(request)
        user: SessionUser | None = request.state.get("user")
        data = await request.form()
        form = {"full_name": str(data.get("full_name", ""))}
        account = None if user else NewAccount(form["full_name"], str(data.get("password", "")))
        try:
            found, joined = await accept_invitation(
                token,
                user_id=user.id if user else None,
                new_account=account,
                on_joined=record_member_joined,
            )
        except InvitationError as error:
            found = await find_invitation(token)
            if error.code in ("email_mismatch", "account_exists"):
                return _page(
                    request, token, found, status_code=403 if error.code == "email_mismatch" else 409
                )
            return _page(request, token, found, problem=error.code)
        except IdentityError as error:
            found = await find_invitation(token)
            return _page(request, token, found, form=form, errors=error.errors, status_code=400)
        response = Redirect(path=f"/t/{found.tenant_slug}/", status_code=303)
        if user is None:
            await sign_in(request, response, joined)
        flash(request, _("Welcome to %(tenant)s.", tenant=found.tenant_name), "success")
        return response
