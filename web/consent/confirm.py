"""``/consent/confirm/<slug>/<token>``: the page a double opt-in mail links to.

Opening the link changes nothing (mail scanners and link previews fetch links); confirming is a POST from the
button on the page. The person is not signed in: the page opens the tenant's context by slug, with no member.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from sampark.platform.tenancy.context import TenantNotFound, tenant_context
from sampark.tenants.consent.confirmation import ConfirmationState, confirm, confirmation_state
from sampark.tenants.consent.schemas import PURPOSES, label
from sampark.web.rendering import render

# 410 Gone for links that existed but can no longer be used; 404 for tokens we never issued.
_STATUS = {"open": 200, "confirmed": 200, "expired": 410, "void": 404}


def _hide_token(request: Request[Any, Any, Any]) -> None:
    """Keep the link's token out of the access log, which reads the scope's path after the handler ran."""
    request.scope["path"] = "/consent/confirm/[tenant]/[token]"


def _page(
    request: Request[Any, Any, Any], found: ConfirmationState, *, just_confirmed: bool = False
) -> Response[str]:
    context = {
        "found": found,
        "purpose": label(PURPOSES, found.purpose) if found.purpose else "",
        "just_confirmed": just_confirmed,
    }
    return render(request, "consent/confirm.html", context, status_code=_STATUS[found.state])


class ConsentConfirmController(Controller):
    path = "/consent/confirm"
    include_in_schema = False

    @get("/{slug:str}/{token:str}")
    async def show(
        self, request: Request[Any, Any, Any], slug: FromPath[str], token: FromPath[str]
    ) -> Response[str]:
        _hide_token(request)
        try:
            async with tenant_context(slug=slug[:64]):
                found = await confirmation_state(token)
        except TenantNotFound:
            found = ConfirmationState("void")
        return _page(request, found)

    @post("/{slug:str}/{token:str}")
    async def confirm(
        self, request: Request[Any, Any, Any], slug: FromPath[str], token: FromPath[str]
    ) -> Response[str]:
        _hide_token(request)
        try:
            async with tenant_context(slug=slug[:64]):
                found = await confirm(token)
        except TenantNotFound:
            found = ConfirmationState("void")
        return _page(request, found)
