"""Clean a field definition from the admin form or a service caller, collecting every problem at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sampark.platform.i18n import SUPPORTED_LOCALES
from sampark.platform.i18n import gettext as _
from sampark.tenants.customfields.schemas import CHOICE_TYPES, LENGTH_TYPES, RANGE_TYPES, TYPES
from sampark.tenants.customfields.values import TEXT_LIMIT, URL_LIMIT, parse_date, parse_decimal

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
LABEL_LIMIT = 100
MAX_OPTIONS = 100


def _labels(raw: Any, name: str, errors: dict[str, str]) -> dict[str, str]:
    """{locale: label} for supported locales, blanks dropped."""
    labels: dict[str, str] = {}
    for locale, text in (raw or {}).items() if isinstance(raw, Mapping) else ():
        text = " ".join(str(text or "").split())
        if locale not in SUPPORTED_LOCALES:
            errors[f"{name}.{str(locale)[:10]}"] = _("This language is not supported.")
        elif len(text) > LABEL_LIMIT:
            errors[f"{name}.{locale}"] = _("Use at most %(limit)d characters.", limit=LABEL_LIMIT)
        elif text:
            labels[locale] = text
    return labels


def _options(raw: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        item = item if isinstance(item, Mapping) else {}
        key = str(item.get("key") or "").strip()
        label = " ".join(str(item.get("label") or "").split())
        if not KEY.match(key) or key in seen:
            errors["options"] = _(
                "Option %(number)d needs its own key: lower-case letters, digits and _, starting with a letter.",
                number=index + 1,
            )
        elif not label or len(label) > LABEL_LIMIT:
            errors["options"] = _("Option %(number)d needs a label.", number=index + 1)
        seen.add(key)
        options.append({"key": key, "label": label, "labels": _labels(item.get("labels"), "options", errors)})
    if not options:
        errors["options"] = _("Add at least one option.")
    elif len(options) > MAX_OPTIONS:
        errors["options"] = _("Add at most %(limit)d options.", limit=MAX_OPTIONS)
    return options


def _limit(kind: str, raw: Any, name: str, errors: dict[str, str]) -> str | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if kind == "date":
        day = parse_date(text)
        if day is None:
            errors[name] = _("Enter a date as YYYY-MM-DD.")
            return None
        return day.isoformat()
    number = parse_decimal(text)
    if number is None:
        errors[name] = _("Enter a number, like 42 or 3.5.")
        return None
    return str(number)


def clean_definition(
    data: Mapping[str, Any], *, kind: str | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Column values for a definition and the problems found.

    ``kind`` is the existing type when editing (key and type never change: stored values depend on them);
    None when creating, where ``key`` and ``type`` come from ``data``.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    if kind is None:
        clean["key"] = str(data.get("key") or "").strip()
        if not KEY.match(clean["key"]):
            errors["key"] = _("Use lower-case letters, digits and _, starting with a letter (at most 40).")
        clean["type"] = kind = str(data.get("type") or "")
        if kind not in TYPES:
            errors["type"] = _("Choose a type from the list.")
    clean["label"] = " ".join(str(data.get("label") or "").split())
    if not clean["label"]:
        errors["label"] = _("Enter a label.")
    elif len(clean["label"]) > LABEL_LIMIT:
        errors["label"] = _("Use at most %(limit)d characters.", limit=LABEL_LIMIT)
    clean["labels"] = _labels(data.get("labels"), "labels", errors)
    clean["options"] = _options(data.get("options"), errors) if kind in CHOICE_TYPES else []
    clean["required"] = bool(data.get("required"))
    clean["max_length"] = None
    if kind in LENGTH_TYPES and str(data.get("max_length") or "").strip():
        ceiling = TEXT_LIMIT if kind == "text" else URL_LIMIT
        text = str(data.get("max_length")).strip()
        if not text.isdigit() or not 1 <= int(text) <= ceiling:
            errors["max_length"] = _("Enter a whole number from 1 to %(limit)d.", limit=ceiling)
        else:
            clean["max_length"] = int(text)
    clean["min_value"] = clean["max_value"] = None
    if kind in RANGE_TYPES:
        clean["min_value"] = _limit(kind, data.get("min_value"), "min_value", errors)
        clean["max_value"] = _limit(kind, data.get("max_value"), "max_value", errors)
        low, high = clean["min_value"], clean["max_value"]
        if low is not None and high is not None:
            parse = parse_date if kind == "date" else parse_decimal
            if parse(low) > parse(high):
                errors["max_value"] = _("The maximum must not be below the minimum.")
    return clean, errors
