"""``/t/<slug>/admin/users``: members (role, deactivate, transfer) and invitations (invite, resend, revoke)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter

from sampark.platform.i18n import current_locale
from sampark.platform.i18n import gettext as _
from sampark.tenants.access import services
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.access.roles import assignable_roles
from sampark.tenants.access.services import AdminError
from sampark.web.admin.common import OBJECT_LABELS, back_to, form_fields, label, optional_int
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render


async def _users_page(
    request: Request[Any, Any, Any],
    *,
    page: int = 1,
    invite: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    principal = current_principal()
    roles = await assignable_roles()
    context = {
        "principal": principal,
        "members": await services.member_page(page),
        "invitations": await services.open_invitations(),
        "roles": roles,
        "role_names": {role.key: role.name for role in roles},
        "invite": invite or {},
        "errors": errors or {},
    }
    return render(request, "admin/users.html", context, block="member_list", status_code=status_code)


class MemberPagesController(Controller):
    path = "/admin/users"
    include_in_schema = False

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        page: Annotated[int, QueryParameter(ge=1)] = 1,
    ) -> Response[str]:
        return await _users_page(request, page=page)

    @post("/invite")
    async def invite(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        data, _form = await form_fields(request)
        shown = {"email": data.get("email", "").strip(), "role": data.get("role", "")}
        try:
            invitation = await services.invite_member(
                shown["email"],
                shown["role"],
                secret_key=request.app.state.settings.secret_key,
                locale=current_locale(),
            )
        except AdminError as error:
            return await _users_page(request, invite=shown, errors=error.errors, status_code=400)
        flash(request, _("Invitation sent to %(email)s.", email=invitation.email), "success")
        return back_to(tenant)

    @post("/invitations/{invitation_id:int}/resend")
    async def resend(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, invitation_id: FromPath[int]
    ) -> Response[Any]:
        try:
            invitation = await services.resend_invitation(
                invitation_id, secret_key=request.app.state.settings.secret_key
            )
        except AdminError as error:
            if error.code == "not_found":
                raise NotFoundException() from None
            raise
        flash(request, _("A new link was sent to %(email)s.", email=invitation.email), "success")
        return back_to(tenant)

    @post("/invitations/{invitation_id:int}/revoke")
    async def revoke(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, invitation_id: FromPath[int]
    ) -> Response[Any]:
        try:
            invitation = await services.revoke_invitation(invitation_id)
        except AdminError as error:
            if error.code == "not_found":
                raise NotFoundException() from None
            raise
        flash(request, _("The invitation to %(email)s was revoked.", email=invitation.email), "success")
        return back_to(tenant)

    @post("/{user_id:int}/role")
    async def change_role(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, user_id: FromPath[int]
    ) -> Response[Any]:
        data, _form = await form_fields(request)
        return await _apply(request, tenant, services.change_member_role(user_id, data.get("role", "")))

    @post("/{user_id:int}/deactivate")
    async def deactivate(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, user_id: FromPath[int]
    ) -> Response[Any]:
        return await _apply(request, tenant, services.set_member_active(user_id, False))

    @post("/{user_id:int}/reactivate")
    async def reactivate(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, user_id: FromPath[int]
    ) -> Response[Any]:
        return await _apply(request, tenant, services.set_member_active(user_id, True))

    @get("/{user_id:int}/transfer")
    async def transfer_form(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, user_id: FromPath[int]
    ) -> Response[str]:
        return await _transfer_page(request, user_id)

    @post("/{user_id:int}/transfer")
    async def transfer(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, user_id: FromPath[int]
    ) -> Response[Any]:
        data, _form = await form_fields(request)
        target = optional_int(data.get("to_user_id"))
        try:
            if target is None:
                raise AdminError("validation_failed", {"to_user_id": _("Choose who receives the records.")})
            moved = await services.transfer_records(user_id, target)
        except AdminError as error:
            if error.code == "not_found":
                raise NotFoundException() from None
            return await _transfer_page(request, user_id, errors=error.errors, status_code=400)
        summary = ", ".join(f"{count} {label(OBJECT_LABELS, kind).lower()}" for kind, count in moved.items())
        flash(request, _("Records moved: %(summary)s.", summary=summary), "success")
        return back_to(tenant)


async def _apply(request: Request[Any, Any, Any], tenant: CurrentTenant, change: Any) -> Response[Any]:
    """Run a member change; a refusal comes back as a message on the list, which is where the form was."""
    try:
        member = await change
    except AdminError as error:
        if error.code == "not_found":
            raise NotFoundException() from None
        flash(request, error.message, "error")
        return back_to(tenant)
    flash(request, _("Saved changes to %(name)s.", name=member.display_name), "success")
    return back_to(tenant)


async def _transfer_page(
    request: Request[Any, Any, Any],
    user_id: int,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    require("users", "edit", record=False)  # the form is only worth showing to who may submit it
    member = await services.get_member(user_id)
    if member is None:
        raise NotFoundException()
    counts = await services.transferable_counts(user_id)
    targets = [m for m in await services.active_members() if m.user_id != user_id]
    return render(
        request,
        "admin/transfer.html",
        {
            "principal": current_principal(),
            "member": member,
            "counts": [(label(OBJECT_LABELS, kind), count) for kind, count in counts.items()],
            "targets": [(m.user_id, f"{m.display_name} <{m.email}>") for m in targets],
            "errors": errors or {},
        },
        status_code=status_code,
    )
