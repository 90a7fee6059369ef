"""Custom field values: cleaning input into stored JSON (per type, with the definition's limits), and showing
stored values as text in the reader's language. Every problem is collected, keyed ``custom.<key>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from babel.numbers import list_currencies

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.formatting import format_currency, format_date, format_number
from sampark.tenants.customfields.schemas import FieldDefinition

TEXT_LIMIT = 1000
URL_LIMIT = 2000
MAX_DIGITS = 18
_TRUE = frozenset({"true", "1", "on", "yes"})
_FALSE = frozenset({"false", "0", "off", "no", ""})
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    return frozenset(code for code in list_currencies() if _CURRENCY.match(code))


def parse_decimal(value: Any) -> Decimal | None:
    """A finite decimal of at most ``MAX_DIGITS`` digits from a number or text, else None."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    # Bounded in both directions: "1e999" would become an infinite float in JSON.
    within = len(number.as_tuple().digits) <= MAX_DIGITS and -MAX_DIGITS <= number.adjusted() < MAX_DIGITS
    return number if within else None


def parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value).strip()) if len(str(value).strip()) == 10 else None
    except ValueError:
        return None


def _number_json(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _bounds(definition: FieldDefinition, value: Any, errors: dict[str, str], name: str) -> None:
    parse = parse_date if definition.type == "date" else parse_decimal
    low = parse(definition.min_value) if definition.min_value else None
    high = parse(definition.max_value) if definition.max_value else None
    if low is not None and value < low:
        errors[name] = _("Enter %(limit)s or more.", limit=definition.min_value)
    elif high is not None and value > high:
        errors[name] = _("Enter %(limit)s or less.", limit=definition.max_value)


def _text(definition: FieldDefinition, value: Any, errors: dict[str, str], name: str) -> str | None:
    if not isinstance(value, str):
        errors[name] = _("Enter text.")
        return None
    text = " ".join(value.split()) if definition.type == "text" else value.strip()
    limit = definition.max_length or (TEXT_LIMIT if definition.type == "text" else URL_LIMIT)
    if len(text) > limit:
        errors[name] = _("Use at most %(limit)d characters.", limit=limit)
    if definition.type == "url":
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in text:
            errors[name] = _("Enter a web address starting with http:// or https://.")
    return text


def _clean_one(definition: FieldDefinition, value: Any, errors: dict[str, str], name: str) -> Any:
    kind = definition.type
    if kind in ("text", "url"):
        return _text(definition, value, errors, name)
    if kind == "number":
        number = parse_decimal(value)
        if number is None:
            errors[name] = _("Enter a number, like 42 or 3.5.")
            return None
        _bounds(definition, number, errors, name)
        return _number_json(number)
    if kind == "date":
        day = parse_date(value)
        if day is None:
            errors[name] = _("Enter a date as YYYY-MM-DD.")
            return None
        _bounds(definition, day, errors, name)
        return day.isoformat()
    if kind == "boolean":
        text = str(value).strip().lower()
        if isinstance(value, bool) or text in _TRUE | _FALSE:
            return value if isinstance(value, bool) else text in _TRUE
        errors[name] = _("Choose yes or no.")
        return None
    if kind == "select":
        if not isinstance(value, str) or definition.option(value.strip()) is None:
            errors[name] = _("Choose one from the list.")
            return None
        return value.strip()
    if kind == "multi_select":
        chosen = [value] if isinstance(value, str) else value if isinstance(value, list) else None
        if chosen is None or any(not isinstance(v, str) or definition.option(v) is None for v in chosen):
            errors[name] = _("Choose from the list.")
            return None
        keys = [option.key for option in definition.options if option.key in chosen]  # definition order
        return keys or None
    return _currency(definition, value, errors, name)


def _currency(definition: FieldDefinition, value: Any, errors: dict[str, str], name: str) -> Any:
    if not isinstance(value, Mapping):
        errors[name] = _("Enter an amount and a currency.")
        return None
    amount = parse_decimal(value.get("amount"))
    code = str(value.get("currency") or "").strip().upper()
    if amount is None:
        errors[name] = _("Enter an amount, like 1200.50.")
        return None
    if code not in currency_codes():
        errors[name] = _("Choose a currency, like EUR or INR.")
        return None
    _bounds(definition, amount, errors, name)
    return {"amount": str(amount), "currency": code}


def clean_values(
    definitions: Sequence[FieldDefinition],
    raw: Any,
    current: Mapping[str, Any],
    errors: dict[str, str],
) -> dict[str, Any]:
    """The record's new ``custom`` object: ``current`` with the fields in ``raw`` set (blank or null removes one).

    Only active definitions can be written; values of archived fields in ``current`` are kept untouched. Every
    required active field must have a value afterwards.
    """
    active = {definition.key: definition for definition in definitions if not definition.archived}
    merged = dict(current)
    if not isinstance(raw, Mapping):
        errors["custom"] = _("Custom fields are a set of fields.")
        return merged
    for key, value in raw.items():
        name = f"custom.{str(key)[:40]}"
        definition = active.get(str(key))
        if definition is None:
            errors[name] = _("There is no such field.")
            continue
        clean = None if _blank(value) else _clean_one(definition, value, errors, name)
        if clean is None:
            merged.pop(definition.key, None)
        else:
            merged[definition.key] = clean
    for definition in active.values():
        name = f"custom.{definition.key}"
        if definition.required and name not in errors and _blank(merged.get(definition.key)):
            errors[name] = _("Fill in %(field)s.", field=definition.title())
    return merged


def display(definition: FieldDefinition, value: Any) -> str:
    """A stored value as text in the reader's language ("" when there is none)."""
    if _blank(value):
        return ""
    kind = definition.type
    try:
        if kind == "number":
            return format_number(value)
        if kind == "date":
            return format_date(date.fromisoformat(value))
        if kind == "currency":
            return format_currency(Decimal(value["amount"]), value["currency"])
    except (TypeError, ValueError, KeyError, InvalidOperation):
        return str(value)
    if kind == "boolean":
        return _("Yes") if value is True else _("No")
    if kind == "select":
        option = definition.option(str(value))
        return option.title() if option else str(value)
    if kind == "multi_select" and isinstance(value, list):
        return ", ".join(option.title() if (option := definition.option(v)) else str(v) for v in value)
    return str(value)


def audit_text(value: Any) -> str:
    """A stored value as plain, language-neutral text for the audit log (choice keys, ISO dates)."""
    if _blank(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, Mapping):
        return f"{value.get('amount', '')} {value.get('currency', '')}".strip()
    return str(value)


def audit_values(custom: Mapping[str, Any]) -> dict[str, str]:
    """``cf.<key>`` -> audit text for every value a record holds (archived fields' values included)."""
    return {f"cf.{key}": audit_text(value) for key, value in sorted(custom.items())}


def history_display(definition: FieldDefinition, text: str) -> str:
    """An audit text (see ``audit_text``) shown in the reader's language."""
    if not text:
        return text
    if definition.type == "boolean":
        return _("Yes") if text == "true" else _("No")
    if definition.type in ("select", "multi_select"):
        return ", ".join(
            option.title() if (option := definition.option(key)) else key for key in text.split(", ")
        )
    return text
