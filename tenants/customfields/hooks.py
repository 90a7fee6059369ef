"""What an adopting object's service calls: clean the ``custom`` input of a create or update, and the audited
form of its values. See docs/custom-fields.md ("Adopting custom fields")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sampark.platform.db.sql import dumps
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.values import audit_values, clean_values

__all__ = ["audit_values", "custom_changes"]


async def custom_changes(
    obj: str, data: Mapping[str, Any], current: Mapping[str, Any] | None, errors: dict[str, str]
) -> str | None:
    """The record's new ``custom`` JSON (to bind as ``$n::jsonb``), or None when nothing is to be written.

    ``current`` is the record's stored values (None when creating: required fields are then always checked).
    Errors are added to ``errors`` keyed ``custom.<key>``.
    """
    if current is not None and "custom" not in data:
        return None
    merged = clean_values(await fields_for(obj), data.get("custom") or {}, current or {}, errors)
    if current is not None and merged == dict(current):
        return None
    return dumps(merged)
