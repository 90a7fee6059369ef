"""Field definition rules: only people who may edit settings manage fields; every change is versioned and
audited (``object_type`` ``custom_field``). Archiving hides a field and keeps every stored value; deleting one
removes its values from the records too, with one audit entry per record that lost a value, in the same
transaction (the admin page confirms first and says how many records hold a value).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from sampark.platform.db.sql import dumps, fetch, fetchrow
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import require
from sampark.tenants.audit.services import record_change
from sampark.tenants.customfields.definitions import clean_definition
from sampark.tenants.customfields.queries import count_values, fields_for, get_field
from sampark.tenants.customfields.registry import custom_object
from sampark.tenants.customfields.schemas import (
    FieldDefinition,
    FieldDefinitionError,
    FieldNotFound,
    definition_from_row,
)
from sampark.tenants.customfields.tables import CustomField
from sampark.tenants.records.errors import VersionConflict

__all__ = [
    "FieldDefinition", "FieldDefinitionError", "FieldNotFound", "count_values", "create_field", "delete_field",
    "fields_for", "get_field", "move_field", "set_archived", "update_field",
]  # fmt: skip

AUDIT_TYPE = "custom_field"
MAX_FIELDS = 100
_JSON = frozenset({"labels", "options"})
# Remove a field's values from every record and audit each record, in one statement: the record's history shows
# what was lost. The self-join reads each value before the update; the value text matches ``audit_text``.
_STRIP = """
WITH stripped AS (
    UPDATE {table} t SET custom = t.custom - $1, version = t.version + 1, updated_at = now()
    FROM {table} old WHERE old.id = t.id AND t.custom ? $1 RETURNING t.id, old.custom -> $1 AS value
), logged AS (
    INSERT INTO audit_log (actor_user_id, action, object_type, object_id, changes)
    SELECT $2, 'update', $3, id, jsonb_build_object($4::text, jsonb_build_object('after', '', 'before',
        CASE jsonb_typeof(value)
            WHEN 'array' THEN (SELECT string_agg(item, ', ') FROM jsonb_array_elements_text(value) item)
            WHEN 'object' THEN concat_ws(' ', value ->> 'amount', value ->> 'currency')
            ELSE value #>> '{{}}' END))
    FROM stripped RETURNING 1
) SELECT count(*) FROM logged
"""


def _snapshot(definition: FieldDefinition) -> dict[str, Any]:
    return {
        "object": definition.object,
        "key": definition.key,
        "type": definition.type,
        "label": definition.label,
        "labels": dumps(dict(definition.labels)) if definition.labels else "",
        "options": ", ".join(option.key for option in definition.options),
        "required": definition.required,
        "max_length": definition.max_length,
        "min_value": definition.min_value,
        "max_value": definition.max_value,
        "archived": definition.archived,
    }


def _check_object(obj: str) -> None:
    if custom_object(obj) is None:
        raise FieldNotFound(obj)


async def _returning(query: str, *args: Any) -> FieldDefinition:
    return definition_from_row(await fetchrow(CustomField, f"{query} RETURNING *", *args))


async def create_field(obj: str, data: Mapping[str, Any]) -> FieldDefinition:
    """Add a field to ``obj``, last in order.

    Raises:
        PermissionDenied: the principal may not edit settings.
        FieldNotFound: ``obj`` does not carry custom fields.
        FieldDefinitionError: with a message per invalid input.
    """
    principal = require("settings", "edit", record=False)
    _check_object(obj)
    clean, errors = clean_definition(data)
    existing = await fields_for(obj, archived=True)
    if any(field.key == clean["key"] for field in existing):
        errors["key"] = _("Another field of this object already uses this key.")
    if len(existing) >= MAX_FIELDS:
        errors["key"] = _("An object can have at most %(limit)d fields.", limit=MAX_FIELDS)
    if errors:
        raise FieldDefinitionError(errors)
    values = {**clean, "object": obj, "position": max((f.position for f in existing), default=0) + 1}
    names = list(values)
    placeholders = ", ".join(f"${i}::jsonb" if n in _JSON else f"${i}" for i, n in enumerate(names, start=1))
    args = [dumps(values[n]) if n in _JSON else values[n] for n in names]
    try:
        created = await _returning(
            f"INSERT INTO custom_fields ({', '.join(names)}) VALUES ({placeholders})", *args
        )
    except asyncpg.UniqueViolationError:  # created by someone else a moment ago
        raise FieldDefinitionError(
            {"key": _("Another field of this object already uses this key.")}
        ) from None
    await record_change(
        "create", AUDIT_TYPE, created.id, actor_user_id=principal.user_id, after=_snapshot(created)
    )
    return created


async def _locked(field_id: int, expected_version: int | None) -> FieldDefinition:
    current = await get_field(field_id, lock=True)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    return current


async def _change(
    current: FieldDefinition, values: Mapping[str, Any], principal_id: int | None
) -> FieldDefinition:
    sets = [f"{name} = ${i}{'::jsonb' if name in _JSON else ''}" for i, name in enumerate(values, start=1)]
    args = [dumps(value) if name in _JSON else value for name, value in values.items()]
    updated = await _returning(
        f"UPDATE custom_fields SET {', '.join(sets)}, version = version + 1, updated_at = now()"
        f" WHERE id = ${len(args) + 1}",
        *args,
        current.id,
    )
    await record_change(
        "update",
        AUDIT_TYPE,
        current.id,
        actor_user_id=principal_id,
        before=_snapshot(current),
        after=_snapshot(updated),
    )
    return updated


async def update_field(
    field_id: int, data: Mapping[str, Any], *, expected_version: int | None
) -> FieldDefinition:
    """Change labels, options, the required flag and limits (the key and type never change).

    Removing an option that records still use is refused: their values would silently lose their meaning.

    Raises:
        PermissionDenied, FieldNotFound, VersionConflict, FieldDefinitionError.
    """
    principal = require("settings", "edit", record=False)
    current = await _locked(field_id, expected_version)
    clean, errors = clean_definition(data, kind=current.type)
    removed = {o.key for o in current.options} - {o["key"] for o in clean.get("options", [])}
    target = custom_object(current.object)
    if removed and target is not None and not errors:
        for key in sorted(removed):
            probe = [key] if current.type == "multi_select" else key
            if await fetchrow(
                CustomField,
                f"SELECT 1 FROM {target.table} WHERE custom @> $1::jsonb LIMIT 1",
                dumps({current.key: probe}),
            ):
                errors["options"] = _(
                    "Records still use the option “%(option)s”; change them first.", option=key
                )
                break
    if errors:
        raise FieldDefinitionError(errors)
    return await _change(current, clean, principal.user_id)


async def set_archived(field_id: int, archived: bool, *, expected_version: int | None) -> FieldDefinition:
    """Archive (hide from forms, lists and filters; values kept) or restore a field."""
    principal = require("settings", "edit", record=False)
    current = await _locked(field_id, expected_version)
    if current.archived == archived:
        return current
    return await _change(current, {"archived": archived}, principal.user_id)


async def move_field(field_id: int, direction: int) -> list[FieldDefinition]:
    """Swap the field with its neighbour (``direction`` -1 up, +1 down); the object's fields renumbered 1..n."""
    principal = require("settings", "edit", record=False)
    current = await get_field(field_id)
    ordered = await fields_for(current.object, archived=True)
    index = next(i for i, field in enumerate(ordered) if field.id == field_id)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(ordered):
        return ordered
    ordered[index], ordered[other] = ordered[other], ordered[index]
    ids = [field.id for field in ordered]
    await fetch(
        CustomField,
        "UPDATE custom_fields f SET position = n.position FROM unnest($1::bigint[]) WITH ORDINALITY AS n(id, position)"
        " WHERE f.id = n.id",
        ids,
    )
    await record_change(
        "update", AUDIT_TYPE, field_id, actor_user_id=principal.user_id,
        before={"position": index + 1}, after={"position": other + 1},
    )  # fmt: skip
    return await fields_for(current.object, archived=True)


async def delete_field(field_id: int, *, expected_version: int | None) -> tuple[FieldDefinition, int]:
    """Delete the definition and remove its values from every record (each removal audited on the record).

    Returns the deleted definition and how many records lost a value.
    """
    principal = require("settings", "edit", record=False)
    current = await _locked(field_id, expected_version)
    target = custom_object(current.object)
    cleared = 0
    if target is not None:
        row = await fetchrow(CustomField, _STRIP.format(table=target.table), current.key, principal.user_id,
                             target.audit_type, f"cf.{current.key}")  # fmt: skip
        cleared = int(row[0])
    await fetch(CustomField, "DELETE FROM custom_fields WHERE id = $1", field_id)
    await record_change(
        "delete", AUDIT_TYPE, field_id, actor_user_id=principal.user_id,
        before={**_snapshot(current), "values": cleared},
    )  # fmt: skip
    return current, cleared


async def values_held(definition: FieldDefinition) -> int:
    """How many records hold a value for ``definition`` (shown before deleting it)."""
    target = custom_object(definition.object)
    return await count_values(target.table, definition.key) if target else 0
