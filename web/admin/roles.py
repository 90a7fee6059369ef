"""``/t/<slug>/admin/roles``: built-in roles (read-only) and custom roles with their permission matrix."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from sampark.platform.i18n import gettext as _
from sampark.tenants.access import roles
from sampark.tenants.access.catalog import ACTIONS, OBJECTS, SCOPES
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.access.roles import RoleInput, parse_field_list
from sampark.tenants.access.services import AdminError
from sampark.web.admin.common import (
    ACTION_LABELS,
    OBJECT_LABELS,
    SCOPE_LABELS,
    back_to,
    form_fields,
    label,
)
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render


def role_input(data: dict[str, str]) -> RoleInput:
    """Read the matrix form: ``perm.<object>.<action>`` selects and ``hidden.<object>`` comma lists."""
    return RoleInput(
        name=data.get("name", ""),
        permissions={
            obj: {action: data.get(f"perm.{obj}.{action}", "none") for action in ACTIONS} for obj in OBJECTS
        },
        hidden_fields={obj: parse_field_list(data.get(f"hidden.{obj}", "")) for obj in OBJECTS},
    )


def _form_page(
    request: Request[Any, Any, Any],
    *,
    form: RoleInput,
    role: roles.RoleView | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    principal = current_principal()
    editable = (role is None and principal.can("roles", "create")) or (
        role is not None and not role.is_builtin and principal.can("roles", "edit")
    )
    return render(
        request,
        "admin/role_form.html",
        {
            "principal": principal,
            "role": role,
            "form": form,
            "editable": editable,
            "errors": errors or {},
            "objects": [(obj, label(OBJECT_LABELS, obj)) for obj in OBJECTS],
            "actions": [(action, label(ACTION_LABELS, action)) for action in ACTIONS],
            "scopes": [(scope, label(SCOPE_LABELS, scope)) for scope in SCOPES],
        },
        status_code=status_code,
    )


class RolePagesController(Controller):
    path = "/admin/roles"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        return render(
            request, "admin/roles.html", {"principal": current_principal(), "roles": await roles.list_roles()}
        )

    @get("/new")
    async def new(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        require("roles", "create", record=False)
        return _form_page(request, form=RoleInput(name=""), role=None)

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        data, _form = await form_fields(request)
        form = role_input(data)
        try:
            role = await roles.create_role(form)
        except AdminError as error:
            return _form_page(request, form=form, role=None, errors=error.errors, status_code=400)
        flash(request, _("Role %(name)s created.", name=role.name), "success")
        return back_to(tenant, "roles")

    @get("/{key:str}")
    async def detail(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, key: FromPath[str]
    ) -> Response[str]:
        role = await roles.get_role(key)
        if role is None:
            raise NotFoundException()
        form = RoleInput(name=role.name, permissions=role.permissions, hidden_fields=role.hidden_fields)
        return _form_page(request, form=form, role=role)

    @post("/{key:str}")
    async def update(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, key: FromPath[str]
    ) -> Response[Any]:
        data, _form = await form_fields(request)
        form = role_input(data)
        try:
            role = await roles.update_role(key, form)
        except AdminError as error:
            current = await roles.get_role(key)
            if error.code == "not_found" or current is None:
                raise NotFoundException() from None
            return _form_page(request, form=form, role=current, errors=error.errors, status_code=400)
        flash(request, _("Role %(name)s saved.", name=role.name), "success")
        return back_to(tenant, "roles")

    @post("/{key:str}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, key: FromPath[str]
    ) -> Response[Any]:
        try:
            await roles.delete_role(key)
        except AdminError as error:
            if error.code == "not_found":
                raise NotFoundException() from None
            flash(request, error.message, "error")
            return back_to(tenant, "roles")
        flash(request, _("Role deleted."), "success")
        return back_to(tenant, "roles")
