"""Activity input rules: the common fields, each kind's own fields, and the records it links to.

Every problem is collected at once and keyed by field, like contacts (``links`` for the linked records,
``attendees`` for a meeting's contacts). Times without a zone are read in the user's time zone (forms send
``datetime-local`` values), then kept in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.platform.i18n.context import current_preferences, valid_time_zone
from sampark.platform.identity.users import normalize_email, validate_email

KINDS: Final = {
    "note": lazy_gettext("Note"),
    "call": lazy_gettext("Call"),
    "meeting": lazy_gettext("Meeting"),
    "email": lazy_gettext("E-mail"),
}
OUTCOMES: Final = {
    "connected": lazy_gettext("Connected"),
    "voicemail": lazy_gettext("Left voicemail"),
    "no_answer": lazy_gettext("No answer"),
    "wrong_number": lazy_gettext("Wrong number"),
    "busy": lazy_gettext("Busy"),
}
DIRECTIONS: Final = {"outbound": lazy_gettext("Outgoing"), "inbound": lazy_gettext("Incoming")}
# The fields each kind may set besides the common ones; anything else sent for a kind is ignored.
KIND_FIELDS: Final = {
    "note": (),
    "call": ("duration_minutes", "outcome", "direction"),
    "meeting": ("starts_at", "ends_at", "location"),
    "email": ("direction", "email_from", "email_to"),
}
COMMON_FIELDS: Final = ("subject", "body", "occurred_at")
MAX_SUBJECT, MAX_BODY, MAX_LOCATION = 300, 20_000, 300
MAX_LINKS, MAX_ATTENDEES, MAX_RECIPIENTS = 20, 50, 20
MAX_DURATION = 24 * 60


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def outcome_label(outcome: str) -> str:
    return str(OUTCOMES.get(outcome, outcome))


def direction_label(direction: str) -> str:
    return str(DIRECTIONS.get(direction, direction))


def parse_time(value: Any) -> datetime | None:
    """A datetime from an aware/naive datetime or an ISO 8601 string; None for anything else.

    A naive value is a wall-clock time in the user's time zone.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        zone = current_preferences().time_zone
        value = value.replace(tzinfo=ZoneInfo(zone) if valid_time_zone(zone) else UTC)
    if not 1900 <= value.year <= 2200:
        return None
    return value.astimezone(UTC)


def _text(data: Mapping[str, Any], name: str, limit: int, errors: dict[str, str]) -> str | None:
    if name not in data:
        return None
    value = data[name]
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = _("Enter text.")
        return None
    value = value.strip()
    if len(value) > limit:
        errors[name] = _("Use at most %(count)d characters.", count=limit)
    return value


def _time(data: Mapping[str, Any], name: str, errors: dict[str, str]) -> datetime | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    parsed = parse_time(value)
    if parsed is None:
        errors[name] = _("Enter a date and time.")
    return parsed


def _recipients(value: Any, errors: dict[str, str]) -> str:
    """``email_to``: one or more addresses separated by commas, stored normalized as ``a@x.com, b@y.com``."""
    items = value if isinstance(value, list) else str(value or "").replace(";", ",").split(",")
    addresses = [normalize_email(str(item)) for item in items if str(item).strip()]
    if not addresses:
        errors["email_to"] = _("Enter an e-mail address.")
    elif len(addresses) > MAX_RECIPIENTS:
        errors["email_to"] = _("Use at most %(count)d addresses.", count=MAX_RECIPIENTS)
    else:
        for address in addresses:
            if (problem := validate_email(address)) is not None:
                errors["email_to"] = problem
                break
    return ", ".join(addresses)


def _kind_fields(kind: str, data: Mapping[str, Any], clean: dict[str, Any], errors: dict[str, str]) -> None:
    fields = KIND_FIELDS[kind]
    if "duration_minutes" in fields and "duration_minutes" in data:
        raw = data["duration_minutes"]
        if raw in (None, ""):
            clean["duration_minutes"] = None
        else:
            try:
                minutes = int(raw)
            except (TypeError, ValueError):
                minutes = -1
            if isinstance(raw, bool) or not 0 <= minutes <= MAX_DURATION:
                errors["duration_minutes"] = _("Enter minutes from 0 to %(max)d.", max=MAX_DURATION)
            clean["duration_minutes"] = minutes
    if "outcome" in fields and "outcome" in data:
        clean["outcome"] = str(data["outcome"] or "")
        if clean["outcome"] not in ("", *OUTCOMES):
            errors["outcome"] = _("Choose one from the list.")
    if "direction" in fields and "direction" in data:
        clean["direction"] = str(data["direction"] or "")
        if clean["direction"] not in ("", *DIRECTIONS):
            errors["direction"] = _("Choose one from the list.")
    if "starts_at" in fields and "starts_at" in data:
        clean["starts_at"] = _time(data, "starts_at", errors)
    if "ends_at" in fields and "ends_at" in data:
        clean["ends_at"] = _time(data, "ends_at", errors)
    if "location" in fields and (location := _text(data, "location", MAX_LOCATION, errors)) is not None:
        clean["location"] = location
    if "email_from" in fields and "email_from" in data:
        clean["email_from"] = normalize_email(str(data["email_from"] or ""))
        if clean["email_from"] and (problem := validate_email(clean["email_from"])) is not None:
            errors["email_from"] = problem
    if "email_to" in fields and "email_to" in data:
        clean["email_to"] = _recipients(data["email_to"], errors)


def clean_activity(
    kind: str, data: Mapping[str, Any], *, current: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check ``data`` for an activity of ``kind``; ``current`` (the stored values) for a partial update.

    Returns the cleaned fields that were sent and the errors by field. Whole-record rules (a meeting needs a
    start, its end is not before it, a note needs a text) are checked on the merged result.
    """
    errors: dict[str, str] = {}
    if kind not in KINDS:
        return {}, {"kind": _("Choose one from the list.")}
    clean: dict[str, Any] = {}
    for name, limit in (("subject", MAX_SUBJECT), ("body", MAX_BODY)):
        if (value := _text(data, name, limit, errors)) is not None:
            clean[name] = value
    if "occurred_at" in data or "sent_at" in data:
        when = _time({"occurred_at": data.get("occurred_at", data.get("sent_at"))}, "occurred_at", errors)
        if when is not None:
            clean["occurred_at"] = when
    _kind_fields(kind, data, clean, errors)
    merged = {**(current or {}), **clean}
    if kind == "note" and not merged.get("body") and not merged.get("subject") and "body" not in errors:
        errors["body"] = _("Write the note.")
    if kind in ("call", "meeting", "email") and not merged.get("subject") and "subject" not in errors:
        errors["subject"] = _("Enter a subject.")
    if kind == "meeting":
        starts, ends = merged.get("starts_at"), merged.get("ends_at")
        if starts is None and "starts_at" not in errors:
            errors["starts_at"] = _("Enter when the meeting starts.")
        elif starts is not None and ends is not None and ends < starts:
            errors["ends_at"] = _("The end cannot be before the start.")
        if starts is not None:
            clean["occurred_at"] = starts  # a meeting happens when it starts
    if kind == "email" and current is None and not merged.get("email_to") and "email_to" not in errors:
        errors["email_to"] = _("Enter an e-mail address.")
    return clean, errors


def parse_links(
    value: Any, errors: dict[str, str], *, field: str = "links", limit: int = MAX_LINKS
) -> list[tuple[str, int]]:
    """``[{"record_type", "record_id"}, ...]`` or ``["contact:12", ...]`` as (type, id) pairs, duplicates dropped."""
    pairs: list[tuple[str, int]] = []
    for item in value if isinstance(value, list | tuple) else []:
        if isinstance(item, str) and ":" in item:
            record_type, _sep, raw_id = item.partition(":")
        elif isinstance(item, Mapping):
            record_type, raw_id = str(item.get("record_type") or ""), str(item.get("record_id") or "")
        elif isinstance(item, tuple) and len(item) == 2:
            record_type, raw_id = str(item[0]), str(item[1])
        else:
            errors[field] = _("Choose the records this is about.")
            return []
        if not raw_id.isdigit() or len(raw_id) > 18:
            errors[field] = _("Choose the records this is about.")
            return []
        pair = (record_type, int(raw_id))
        if pair not in pairs:
            pairs.append(pair)
    if len(pairs) > limit:
        errors[field] = _("Link at most %(count)d records.", count=limit)
    return pairs
