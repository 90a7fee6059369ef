"""Saved views and column choice from the list pages (plain POST forms; each answers with a redirect back).

``/t/<slug>/views/`` (save the current list as a view), ``/views/<id>/update``, ``/views/<id>/delete``, and
``/t/<slug>/lists/<object>/columns`` (pick and order the columns).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, require
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.registry import custom_object
from sampark.tenants.customfields.schemas import ViewError
from sampark.tenants.customfields.views import (
    available_columns,
    chosen_columns,
    create_view,
    delete_view,
    get_view,
    save_columns,
    update_view,
)
from sampark.tenants.records.errors import VersionConflict
from sampark.web.contacts.pagekit import list_url, page_filters
from sampark.web.customfields.lists import BUILTIN_TITLES
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render


def _list_base(slug: str, obj: str) -> str:
    target = custom_object(obj)
    if target is None:
        raise NotFoundException()
    return f"/t/{slug}/{target.list_path}"


def _posted_list(form: Any) -> dict[str, Any]:
    """Filters, sort and columns of the list the form was on (carried as its query string and column list)."""
    query = dict(parse_qsl(str(form.get("query") or ""), keep_blank_values=False))
    columns = [name for name in str(form.get("columns") or "").split(",") if name]
    return {"filters": page_filters(query), "sort": query.get("sort", ""), "columns": columns}


def _refused(request: Request[Any, Any, Any], problem: ViewError | PermissionDenied) -> None:
    if isinstance(problem, PermissionDenied):
        flash(request, _("Only people who may change the settings can change shared views."), "error")
    else:
        flash(request, " ".join(problem.errors.values()), "error")


class SavedViewPagesController(Controller):
    path = "/"
    include_in_schema = False

    @post("/views/")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        form = await request.form()
        obj = str(form.get("object") or "")
        base = _list_base(tenant.slug, obj)
        data = {**_posted_list(form), "name": form.get("name"), "shared": form.get("shared") == "1"}
        try:
            view = await create_view(obj, data)
        except ViewError as problem:
            _refused(request, problem)
            return Redirect(path=f"{base}?{form.get('query') or ''}", status_code=303)
        flash(request, _("The view %(name)s was saved.", name=view.name), "success")
        return Redirect(path=list_url(base, {}, view=view.id), status_code=303)

    @post("/views/{view_id:int}/update")
    async def update(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, view_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        current = await get_view(view_id)
        base = _list_base(tenant.slug, current.object)
        version = str(form.get("version") or "")
        try:
            view = await update_view(
                view_id, _posted_list(form), expected_version=int(version) if version.isdigit() else -1
            )
        except (ViewError, PermissionDenied) as problem:
            _refused(request, problem)
            return Redirect(path=list_url(base, {}, view=view_id), status_code=303)
        except VersionConflict:
            flash(request, _("Someone else changed this view meanwhile. Check it and try again."), "error")
            return Redirect(path=list_url(base, {}, view=view_id), status_code=303)
        flash(request, _("The view %(name)s was updated.", name=view.name), "success")
        return Redirect(path=list_url(base, {}, view=view.id), status_code=303)

    @post("/views/{view_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, view_id: FromPath[int]
    ) -> Response[Any]:
        current = await get_view(view_id)
        base = _list_base(tenant.slug, current.object)
        try:
            await delete_view(view_id)
        except (ViewError, PermissionDenied) as problem:
            _refused(request, problem)
            return Redirect(path=list_url(base, {}, view=view_id), status_code=303)
        flash(request, _("The view %(name)s was deleted.", name=current.name), "success")
        return Redirect(path=base, status_code=303)

    @get("/lists/{obj:str}/columns")
    async def columns(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, obj: FromPath[str]
    ) -> Response[str]:
        return await _columns_page(request, tenant.slug, obj)

    @post("/lists/{obj:str}/columns")
    async def save(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, obj: FromPath[str]
    ) -> Response[Any]:
        base = _list_base(tenant.slug, obj)
        form = await request.form()
        available = await available_columns(obj)
        # Each shown column has a position; ties keep the offered order.
        picked = []
        for index, name in enumerate(available):
            if form.get(f"show-{name}") == "1":
                position = str(form.get(f"position-{name}") or "")
                picked.append((int(position) if position.isdigit() else 999, index, name))
        try:
            await save_columns(obj, [name for _p, _i, name in sorted(picked)])
        except ViewError as problem:
            _refused(request, problem)
            return await _columns_page(request, tenant.slug, obj, status_code=400)
        flash(request, _("Your columns were saved."), "success")
        return Redirect(path=base, status_code=303)


async def _columns_page(
    request: Request[Any, Any, Any], slug: str, obj: str, status_code: int = 200
) -> Response[str]:
    base = _list_base(slug, obj)
    require(obj, "view", record=False)
    target = custom_object(obj)
    fields = await fields_for(obj)
    available = await available_columns(obj, fields)
    chosen = await chosen_columns(obj, available=available)
    titles = {
        **{key: str(title) for key, title in BUILTIN_TITLES.items()},
        **{f.column: f.title() for f in fields},
    }
    ordered = [*chosen, *(name for name in available if name not in chosen)]
    rows = [
        (name, titles.get(name, name), name in chosen, chosen.index(name) + 1 if name in chosen else "")
        for name in ordered
    ]
    context = {
        "rows": rows,
        "list_base": base,
        "object_title": str(target.title) if target else obj,
        "obj": obj,
    }
    return render(request, "customfields/columns.html", context, status_code=status_code)
