"""The quick-log and edit forms of activities: form data in, service arguments out, and values back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sampark.platform.i18n.formatting import in_time_zone
from sampark.tenants.activities.schemas import ActivityView
from sampark.tenants.activities.validation import COMMON_FIELDS, DIRECTIONS, KIND_FIELDS, KINDS, OUTCOMES

# Form fields per kind (``occurred_at`` is the meeting's start and the e-mail's sent time, so not asked twice).
FORM_FIELDS = {
    kind: tuple(
        name for name in (*COMMON_FIELDS, *fields) if not (kind == "meeting" and name == "occurred_at")
    )
    for kind, fields in KIND_FIELDS.items()
}


def local_input(value: datetime | None) -> str:
    """A ``datetime-local`` input value in the reader's time zone."""
    return in_time_zone(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def form_values(activity: ActivityView) -> dict[str, str]:
    values = {name: getattr(activity, name) for name in FORM_FIELDS[activity.kind]}
    return {
        name: local_input(value) if isinstance(value, datetime) else ("" if value is None else str(value))
        for name, value in values.items()
    }


def posted(form: Mapping[str, Any], kind: str) -> dict[str, str]:
    """The posted fields the kind uses, as text (empty times and durations left out, so defaults apply)."""
    values = {name: str(form.get(name) or "") for name in FORM_FIELDS.get(kind, ()) if name in form}
    return {
        name: value
        for name, value in values.items()
        if value or name not in ("occurred_at", "duration_minutes", "ends_at")
    }


def choices() -> dict[str, Any]:
    return {
        "kinds": [(key, str(label)) for key, label in KINDS.items()],
        "outcomes": [(key, str(label)) for key, label in OUTCOMES.items()],
        "directions": [(key, str(label)) for key, label in DIRECTIONS.items()],
        "form_fields": FORM_FIELDS,
    }
