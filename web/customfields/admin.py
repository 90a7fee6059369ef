"""``/t/<slug>/admin/fields/``: the custom fields of each object; add, edit, reorder, archive, restore, delete.

Seeing the pages needs ``settings: view``; every change needs ``settings: edit`` (checked by the service; a
refused change answers 403 through web/errors.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import locale_choices, ngettext
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.customfields.registry import OBJECTS, custom_object
from sampark.tenants.customfields.schemas import FieldDefinition, FieldDefinitionError
from sampark.tenants.customfields.services import (
    create_field,
    delete_field,
    fields_for,
    get_field,
    move_field,
    set_archived,
    update_field,
    values_held,
)
from sampark.tenants.records.errors import VersionConflict
from sampark.web.customfields.forms import TYPE_LABELS, definition_data, definition_form
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render


def _version(form: Any) -> int:
    text = str(form.get("version") or "")
    return int(text) if text.isdigit() else -1


def _form_page(
    request: Request[Any, Any, Any],
    obj: str,
    definition: FieldDefinition | None,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    conflict: bool = False,
    status_code: int = 200,
) -> Response[str]:
    target = custom_object(obj)
    return render(
        request,
        "customfields/form.html",
        {
            "obj": obj,
            "object_title": str(target.title) if target else obj,
            "definition": definition,
            "values": values,
            "errors": {key.replace(".", "-"): message for key, message in (errors or {}).items()},
            "conflict": conflict,
            "types": [(key, str(name)) for key, name in TYPE_LABELS.items()],
            "locales": locale_choices(),
            "principal": current_principal(),
        },
        status_code=status_code,
    )


class FieldAdminController(Controller):
    path = "/admin/fields"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        principal = require("settings", "view", record=False)
        sections = [
            (obj, str(target.title), await fields_for(obj, archived=True)) for obj, target in OBJECTS.items()
        ]
        return render(
            request,
            "customfields/index.html",
            {
                "sections": sections,
                "principal": principal,
                "can_edit": principal.can("settings", "edit"),
                "type_label": lambda key: str(TYPE_LABELS.get(key, key)),
            },
        )

    @get("/new")
    async def new(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        object: Annotated[str, QueryParameter(max_length=32)] = "contacts",
    ) -> Response[str]:
        require("settings", "edit", record=False)
        if custom_object(object) is None:
            raise NotFoundException()
        return _form_page(request, object, None, definition_form(None))

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        form = await request.form()
        obj = str(form.get("object") or "")
        if custom_object(obj) is None:
            raise NotFoundException()
        try:
            created = await create_field(obj, definition_data(form))
        except FieldDefinitionError as problem:
            return _form_page(
                request, obj, None, definition_form(None, form), errors=problem.errors, status_code=400
            )
        flash(request, _("The field %(name)s was added.", name=created.title()), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/fields/", status_code=303)

    @get("/{field_id:int}/edit")
    async def edit(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, field_id: FromPath[int]
    ) -> Response[str]:
        require("settings", "edit", record=False)
        definition = await get_field(field_id)
        return _form_page(request, definition.object, definition, definition_form(definition))

    @post("/{field_id:int}/edit")
    async def update(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, field_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        definition = await get_field(field_id)
        try:
            changed = await update_field(field_id, definition_data(form), expected_version=_version(form))
        except VersionConflict as conflict:
            current = conflict.current
            return _form_page(
                request, current.object, current, definition_form(current), conflict=True, status_code=409
            )
        except FieldDefinitionError as problem:
            values = {**definition_form(None, form), "key": definition.key, "type": definition.type}
            return _form_page(
                request, definition.object, definition, values, errors=problem.errors, status_code=400
            )
        flash(request, _("The field %(name)s was saved.", name=changed.title()), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/fields/", status_code=303)

    @post("/{field_id:int}/move")
    async def move(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, field_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        await move_field(field_id, -1 if form.get("direction") == "up" else 1)
        return Redirect(path=f"/t/{tenant.slug}/admin/fields/#field-{field_id}", status_code=303)

    @post("/{field_id:int}/archive")
    async def archive(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, field_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        archived = form.get("archived") == "1"
        try:
            changed = await set_archived(field_id, archived, expected_version=_version(form))
        except VersionConflict:
            flash(request, _("Someone else changed this field meanwhile. Check it and try again."), "error")
            return Redirect(path=f"/t/{tenant.slug}/admin/fields/", status_code=303)
        name = changed.title()
        message = (
            _("%(name)s is archived: hidden everywhere, its values kept.", name=name)
            if archived
            else _("%(name)s is back.", name=name)
        )
        flash(request, message, "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/fields/", status_code=303)

    @get("/{field_id:int}/delete")
    async def confirm_delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, field_id: FromPath[int]
    ) -> Response[str]:
        require("settings", "edit", record=False)
        definition = await get_field(field_id)
        context = {"definition": definition, "held": await values_held(definition), "stale": False}
        return render(request, "customfields/delete.html", context)

    @post("/{field_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, field_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        try:
            definition, cleared = await delete_field(field_id, expected_version=_version(form))
        except VersionConflict as conflict:
            context = {
                "definition": conflict.current,
                "held": await values_held(conflict.current),
                "stale": True,
            }
            return render(request, "customfields/delete.html", context, status_code=409)
        message = ngettext(
            "The field %(name)s was deleted; %(num)d record lost its value.",
            "The field %(name)s was deleted; %(num)d records lost their value.",
            cleared,
            name=definition.title(),
        )
        flash(request, message, "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/fields/", status_code=303)
