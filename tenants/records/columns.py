"""Column values for records that keep e-mails, phones and tags as JSONB lists (contacts, leads)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sampark.platform.db.sql import dumps


def column_values(clean: Mapping[str, Any], json_columns: frozenset[str]) -> dict[str, Any]:
    """Column -> bound value (JSONB columns as JSON text), with the primary e-mail and phone mirrored into the
    ``email`` and ``phone`` columns."""
    values = {name: dumps(value) if name in json_columns else value for name, value in clean.items()}
    if "emails" in clean:
        values["email"] = clean["emails"][0] if clean["emails"] else ""
    if "phones" in clean:
        values["phone"] = clean["phones"][0]["number"] if clean["phones"] else ""
    return values


def current_value(view: Any, name: str) -> Any:
    """A view's field in the shape cleaned input has (phones as dicts, tuples as lists), to tell what changed."""
    value = getattr(view, name)
    if name == "phones":
        return [{"number": phone.number, "label": phone.label} for phone in value]
    return list(value) if isinstance(value, tuple) else value
