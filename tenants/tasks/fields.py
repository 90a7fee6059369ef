"""Task choices and input rules: priorities, reminders, and due times read in the acting user's time zone."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.platform.i18n.context import zone

PRIORITIES = {
    "low": lazy_gettext("Low"),
    "normal": lazy_gettext("Normal"),
    "high": lazy_gettext("High"),
    "urgent": lazy_gettext("Urgent"),
}
STATUSES = {"open": lazy_gettext("Open"), "done": lazy_gettext("Done")}
# How long before the due time a reminder goes out.
REMINDERS: dict[str, tuple[Any, timedelta | None]] = {
    "none": (lazy_gettext("No reminder"), None),
    "at_due": (lazy_gettext("At the due time"), timedelta(0)),
    "5m": (lazy_gettext("5 minutes before"), timedelta(minutes=5)),
    "15m": (lazy_gettext("15 minutes before"), timedelta(minutes=15)),
    "30m": (lazy_gettext("30 minutes before"), timedelta(minutes=30)),
    "1h": (lazy_gettext("1 hour before"), timedelta(hours=1)),
    "1d": (lazy_gettext("1 day before"), timedelta(days=1)),
}
TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 10_000
WRITABLE = frozenset({
    "title", "description", "due_date", "due_time", "due_at", "all_day", "assignee_id", "priority",
    "reminder", "record_type", "record_id",
})  # fmt: skip


def priority_label(key: str) -> str:
    return str(PRIORITIES.get(key, key))


def reminder_label(key: str) -> str:
    return str(REMINDERS[key][0]) if key in REMINDERS else key


def local_to_utc(day: date, at: time, time_zone: str) -> datetime | None:
    """``day`` at ``at`` on the wall clock of ``time_zone``, in UTC; None when that moment does not exist there
    (the hour skipped when clocks go forward). In the repeated hour when clocks go back, the first one counts.
    """
    local = datetime.combine(day, at).replace(tzinfo=zone(time_zone), fold=0)
    moment = local.astimezone(UTC)
    if moment.astimezone(zone(time_zone)).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return moment


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _parse_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    text = str(value).strip()
    parsed = time.fromisoformat(text)
    if parsed.tzinfo is not None:
        raise ValueError(text)
    return parsed.replace(second=0, microsecond=0)


def _parse_moment(value: Any, time_zone: str) -> datetime:
    """An API ``due_at``: with an offset as given, without one on the acting user's wall clock."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    if moment.tzinfo is None:
        exact = local_to_utc(moment.date(), moment.time(), time_zone)
        if exact is None:
            raise OverflowError(str(value))
        return exact
    return moment.astimezone(UTC)


def _clean_due(data: Mapping[str, Any], time_zone: str, errors: dict[str, str]) -> dict[str, Any]:
    """``due_at``/``all_day``/``due_date`` from the form's date and time, or the API's ``due_at``."""
    all_day = bool(data.get("all_day"))
    raw_date, raw_time, raw_at = data.get("due_date"), data.get("due_time"), data.get("due_at")
    if raw_at not in (None, "") and not all_day:
        try:
            return {"due_at": _parse_moment(raw_at, time_zone), "all_day": False, "due_date": None}
        except OverflowError:
            errors["due_at"] = _("This time does not exist in your time zone (the clocks change then).")
        except (TypeError, ValueError):
            errors["due_at"] = _("Enter a date and time like 2026-03-31T14:30.")
        return {}
    if raw_date in (None, ""):
        if raw_at not in (None, "") and all_day:
            raw_date = raw_at
        else:
            return {"due_at": None, "all_day": False, "due_date": None}
    try:
        day = _parse_date(raw_date)
    except (TypeError, ValueError):
        errors["due_date"] = _("Enter a date like 2026-03-31.")
        return {}
    assert day is not None
    if all_day or raw_time in (None, ""):
        # A date alone is an all-day task; due_at is that day's start where the person setting it is.
        start = local_to_utc(day, time(0, 0), time_zone) or datetime.combine(day, time(0), UTC)
        return {"due_at": start, "all_day": True, "due_date": day}
    try:
        at = _parse_time(raw_time)
    except (TypeError, ValueError):
        errors["due_time"] = _("Enter a time like 14:30.")
        return {}
    moment = local_to_utc(day, at, time_zone)
    if moment is None:
        errors["due_time"] = _("This time does not exist in your time zone (the clocks change then).")
        return {}
    return {"due_at": moment, "all_day": False, "due_date": None}


def _clean_id(value: Any, name: str, errors: dict[str, str], message: str) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or len(text) > 18 or int(text) == 0:
        errors[name] = message
        return None
    return int(text)


def clean_task(data: Mapping[str, Any], time_zone: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate the given fields (only those present); return clean values and translated errors by field."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "title" in data:
        title = " ".join(str(data["title"] or "").split())
        if not title:
            errors["title"] = _("Enter a title.")
        elif len(title) > TITLE_LIMIT:
            errors["title"] = _("Use at most %(count)d characters.", count=TITLE_LIMIT)
        clean["title"] = title
    if "description" in data:
        description = str(data["description"] or "").strip()
        if len(description) > DESCRIPTION_LIMIT:
            errors["description"] = _("Use at most %(count)d characters.", count=DESCRIPTION_LIMIT)
        clean["description"] = description
    if data.keys() & {"due_date", "due_time", "due_at", "all_day"}:
        clean.update(_clean_due(data, time_zone, errors))
    if "priority" in data:
        clean["priority"] = str(data["priority"] or "normal")
        if clean["priority"] not in PRIORITIES:
            errors["priority"] = _("Choose a priority from the list.")
    if "reminder" in data:
        clean["reminder"] = str(data["reminder"] or "none")
        if clean["reminder"] not in REMINDERS:
            errors["reminder"] = _("Choose a reminder from the list.")
    if "assignee_id" in data:
        clean["assignee_id"] = _clean_id(
            data["assignee_id"], "assignee_id", errors, _("Choose an assignee from the list.")
        )
    if "record_type" in data or "record_id" in data:
        record_type = str(data.get("record_type") or "").strip()
        record_id = _clean_id(data.get("record_id"), "record_id", errors, _("Choose a record to link."))
        if bool(record_type) != (record_id is not None) and "record_id" not in errors:
            errors["record_id"] = _("Choose a record to link.")
        clean["record_type"], clean["record_id"] = (record_type, record_id) if record_type else ("", None)
    return clean, errors


def remind_at(due_at: datetime | None, reminder: str) -> datetime | None:
    """When the reminder goes out: ``reminder``'s offset before ``due_at`` (None without either)."""
    offset = REMINDERS.get(reminder, (None, None))[1]
    if due_at is None or offset is None:
        return None
    return due_at - offset
