"""Saved views and each user's list columns.

A view keeps an object's list filters, sort and columns under a name. Personal views are seen and changed only by
their owner. Shared views are seen by everyone in the tenant who can see the list, and only people who may edit
settings can share a view, change a shared one or delete it (one rule, the one that already guards tenant-wide
configuration). The records a view lists are still limited by each reader's own role.
The list's first column (the record's name, its link) is always shown, so it is not part of a column choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sampark.platform.db.sql import dumps, fetch, fetchrow, loads
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, Principal, current_principal, require
from sampark.tenants.audit.services import record_change
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.registry import custom_object
from sampark.tenants.customfields.schemas import (
    FieldDefinition,
    SavedViewData,
    ViewError,
    ViewNotFound,
    view_from_row,
)
from sampark.tenants.customfields.tables import SavedView
from sampark.tenants.records.errors import VersionConflict

AUDIT_TYPE = "saved_view"
NAME_LIMIT = 80
MAX_FILTERS = 30
MAX_VIEWS = 50
_VIEW_COLUMNS = "id, object, name, owner_id, shared, filters, sort, columns, version"


async def available_columns(obj: str, fields: Sequence[FieldDefinition] | None = None) -> list[str]:
    """Every column a user of ``obj``'s list may choose: built-in ones, then ``cf.<key>`` of active fields
    (``fields``: the active definitions, when the caller has read them already)."""
    target = custom_object(obj)
    if target is None:
        raise ViewNotFound(obj)
    active = fields if fields is not None else await fields_for(obj)
    return [*target.columns, *(field.column for field in active)]


def _clean_columns(columns: Any, available: Sequence[str], errors: dict[str, str]) -> list[str]:
    chosen: list[str] = []
    for name in columns if isinstance(columns, list | tuple) else []:
        if name not in available:
            errors["columns"] = _("Choose columns from the list.")
        elif name not in chosen:
            chosen.append(name)
    return chosen


async def chosen_columns(obj: str, *, available: Sequence[str] | None = None) -> list[str]:
    """The principal's columns for ``obj`` (columns of archived or deleted fields left out), else the default."""
    target = custom_object(obj)
    principal = current_principal()
    if target is None:
        raise ViewNotFound(obj)
    row = await fetchrow(
        SavedView,
        "SELECT columns FROM list_columns WHERE user_id = $1 AND object = $2",
        principal.user_id,
        obj,
    )
    if row is None:
        return list(target.default_columns)
    allowed = set(available if available is not None else await available_columns(obj))
    return [name for name in loads(row["columns"], []) if name in allowed]


async def save_columns(obj: str, columns: Sequence[str]) -> list[str]:
    """Keep ``columns`` (in this order) as the principal's choice for ``obj``'s list.

    Raises:
        ViewError: a column that is not available.
    """
    principal = require(obj, "view", record=False)
    errors: dict[str, str] = {}
    chosen = _clean_columns(list(columns), await available_columns(obj), errors)
    if errors:
        raise ViewError(errors)
    await fetch(
        SavedView,
        "INSERT INTO list_columns (user_id, object, columns) VALUES ($1, $2, $3::jsonb)"
        " ON CONFLICT (user_id, object) DO UPDATE SET columns = excluded.columns, updated_at = now()",
        principal.user_id,
        obj,
        dumps(chosen),
    )
    await record_change(
        "update", "list_columns", principal.user_id, actor_user_id=principal.user_id,
        after={"object": obj, "columns": ", ".join(chosen)},
    )  # fmt: skip
    return chosen


# Bound as $2: the principal's user id.
_VISIBLE = "(shared OR owner_id = $2)"


async def views_for(obj: str) -> list[SavedViewData]:
    """The principal's own views of ``obj`` and the shared ones, by name."""
    principal = require(obj, "view", record=False)
    rows = await fetch(
        SavedView,
        f"SELECT {_VIEW_COLUMNS} FROM saved_views WHERE object = $1 AND {_VISIBLE} ORDER BY lower(name), id",
        obj,
        principal.user_id,
    )
    return [view_from_row(row) for row in rows]


async def get_view(view_id: int, *, lock: bool = False) -> SavedViewData:
    """A view the principal may see.

    Raises:
        ViewNotFound: no such view, or another user's personal one.
    """
    principal = current_principal()
    row = await fetchrow(
        SavedView,
        f"SELECT {_VIEW_COLUMNS} FROM saved_views WHERE id = $1 AND {_VISIBLE}{' FOR UPDATE' if lock else ''}",
        view_id,
        principal.user_id,
    )
    if row is None:
        raise ViewNotFound(view_id)
    view = view_from_row(row)
    require(view.object, "view", record=False)
    return view


async def _clean(obj: str, data: Mapping[str, Any], principal: Principal) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    if "name" in data:
        clean["name"] = " ".join(str(data["name"] or "").split())
        if not clean["name"]:
            errors["name"] = _("Enter a name for the view.")
        elif len(clean["name"]) > NAME_LIMIT:
            errors["name"] = _("Use at most %(limit)d characters.", limit=NAME_LIMIT)
    if "filters" in data:
        filters = data["filters"] if isinstance(data["filters"], Mapping) else None
        if (
            filters is None
            or len(filters) > MAX_FILTERS
            or any(not isinstance(v, str) or len(str(k)) > 60 or len(v) > 500 for k, v in filters.items())
        ):
            errors["filters"] = _("These filters cannot be saved.")
        else:
            clean["filters"] = {str(k): v.strip() for k, v in filters.items() if v.strip()}
    if "sort" in data:
        clean["sort"] = str(data["sort"] or "").strip()[:40]
    if "columns" in data:
        clean["columns"] = _clean_columns(data["columns"], await available_columns(obj), errors)
    if "shared" in data:
        clean["shared"] = bool(data["shared"])
        if clean["shared"] and not principal.can("settings", "edit"):
            errors["shared"] = _("Only people who may change the settings can share views.")
    if errors:
        raise ViewError(errors)
    return clean


def _snapshot(view: SavedViewData) -> dict[str, Any]:
    return {
        "object": view.object, "name": view.name, "shared": view.shared, "filters": dumps(dict(view.filters)),
        "sort": view.sort, "columns": ", ".join(view.columns),
    }  # fmt: skip


async def create_view(obj: str, data: Mapping[str, Any]) -> SavedViewData:
    """Save a view of ``obj``'s list owned by the principal (``name``, ``filters``, ``sort``, ``columns``,
    ``shared``).

    Raises:
        ViewNotFound: ``obj`` has no lists with views.
        ViewError: with a message per invalid input (sharing without settings permission included).
    """
    principal = require(obj, "view", record=False)
    clean = await _clean(
        obj, {"name": "", "filters": {}, "sort": "", "columns": [], "shared": False, **data}, principal
    )
    count = await fetchrow(
        SavedView, "SELECT count(*) FROM saved_views WHERE owner_id = $1", principal.user_id
    )
    if count[0] >= MAX_VIEWS:
        raise ViewError({"name": _("You can keep at most %(limit)d views.", limit=MAX_VIEWS)})
    row = await fetchrow(
        SavedView,
        f"INSERT INTO saved_views (object, name, owner_id, shared, filters, sort, columns)"
        f" VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb) RETURNING {_VIEW_COLUMNS}",
        obj, clean["name"], principal.user_id, clean["shared"], dumps(clean["filters"]), clean["sort"],
        dumps(clean["columns"]),
    )  # fmt: skip
    view = view_from_row(row)
    await record_change("create", AUDIT_TYPE, view.id, actor_user_id=principal.user_id, after=_snapshot(view))
    return view


def _may_change(view: SavedViewData, principal: Principal) -> None:
    if view.shared and not principal.can("settings", "edit"):
        raise PermissionDenied("settings", "edit")
    if not view.shared and view.owner_id != principal.user_id:
        raise ViewNotFound(view.id)


async def update_view(
    view_id: int, data: Mapping[str, Any], *, expected_version: int | None
) -> SavedViewData:
    """Change the fields in ``data`` of a view the principal may change.

    Raises:
        ViewNotFound, VersionConflict, ViewError, PermissionDenied (a shared view without ``settings: edit``).
    """
    principal = current_principal()
    current = await get_view(view_id, lock=True)
    _may_change(current, principal)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    clean = await _clean(current.object, data, principal)
    if not clean:
        return current
    json_fields = ("filters", "columns")
    sets = [
        f"{name} = ${i}{'::jsonb' if name in json_fields else ''}" for i, name in enumerate(clean, start=1)
    ]
    args = [dumps(value) if name in json_fields else value for name, value in clean.items()]
    row = await fetchrow(
        SavedView,
        f"UPDATE saved_views SET {', '.join(sets)}, version = version + 1, updated_at = now()"
        f" WHERE id = ${len(args) + 1} RETURNING {_VIEW_COLUMNS}",
        *args,
        view_id,
    )
    view = view_from_row(row)
    await record_change(
        "update",
        AUDIT_TYPE,
        view.id,
        actor_user_id=principal.user_id,
        before=_snapshot(current),
        after=_snapshot(view),
    )
    return view


async def delete_view(view_id: int, *, expected_version: int | None = None) -> SavedViewData:
    """Delete a view the principal may change.

    Raises:
        ViewNotFound, VersionConflict, ViewError, PermissionDenied (a shared view without ``settings: edit``).
    """
    principal = current_principal()
    current = await get_view(view_id, lock=True)
    _may_change(current, principal)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    await fetch(SavedView, "DELETE FROM saved_views WHERE id = $1", view_id)
    await record_change(
        "delete", AUDIT_TYPE, view_id, actor_user_id=principal.user_id, before=_snapshot(current)
    )
    return current
