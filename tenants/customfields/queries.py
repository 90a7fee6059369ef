"""Reads of field definitions. Definitions are not secret: anyone who can use an object's forms and lists reads
them (the admin pages that change them need ``settings``)."""

from __future__ import annotations

from sampark.platform.db.sql import fetch, fetchrow, fetchval
from sampark.tenants.customfields.schemas import FieldDefinition, FieldNotFound, definition_from_row
from sampark.tenants.customfields.tables import CustomField

_COLUMNS = (
    "id, object, key, type, label, labels, options, required, max_length, min_value, max_value, position,"
    " archived, version, created_at, updated_at"
)


async def fields_for(obj: str, *, archived: bool = False) -> list[FieldDefinition]:
    """The object's field definitions in display order (active only, unless ``archived``)."""
    query = f"SELECT {_COLUMNS} FROM custom_fields WHERE object = $1 AND ($2 OR NOT archived) ORDER BY position, id"
    return [definition_from_row(row) for row in await fetch(CustomField, query, obj, archived)]


async def get_field(field_id: int, *, lock: bool = False) -> FieldDefinition:
    """One definition (row-locked with ``lock``).

    Raises:
        FieldNotFound: no such definition in this tenant.
    """
    query = f"SELECT {_COLUMNS} FROM custom_fields WHERE id = $1{' FOR UPDATE' if lock else ''}"
    row = await fetchrow(CustomField, query, field_id)
    if row is None:
        raise FieldNotFound(field_id)
    return definition_from_row(row)


async def count_values(table: str, key: str) -> int:
    """How many records of ``table`` (a registry table name, never input) hold a value for ``key``."""
    return int(await fetchval(CustomField, f"SELECT count(*) FROM {table} WHERE custom ? $1", key))
