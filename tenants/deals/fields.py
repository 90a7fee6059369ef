"""Deal field rules: the name, an amount in a currency (Decimal, at most the currency's minor digits), dates,
links by id, and the lost reasons. ``clean_deal`` checks everything at once and keys errors by field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.platform.i18n.context import valid_currency
from sampark.platform.i18n.formatting import currency_decimals

MAX_AMOUNT = Decimal("1000000000000000")  # 10^15: fits NUMERIC(18, 3) and the integer sort key
MAX_CONTACTS = 50
STATUSES = ("open", "won", "lost")
LOST_REASONS = {
    "price": lazy_gettext("Price"),
    "competitor": lazy_gettext("Chose a competitor"),
    "no_budget": lazy_gettext("No budget"),
    "no_decision": lazy_gettext("No decision"),
    "timing": lazy_gettext("Bad timing"),
    "other": lazy_gettext("Other"),
}
# What a form or the API may set directly; the stage moves through ``move_stage``/``mark_won``/``mark_lost``.
WRITABLE = frozenset(
    {"name", "amount", "currency", "expected_close_date", "owner_id", "company_id", "contact_ids",
     "pipeline_id", "stage_id"}
)  # fmt: skip


def status_label(status: str) -> str:
    return {"open": _("Open"), "won": _("Won"), "lost": _("Lost")}.get(status, status)


def reason_label(reason: str) -> str:
    label = LOST_REASONS.get(reason)
    return str(label) if label is not None else reason


def parse_amount(value: Any) -> Decimal | None:
    """A Decimal from a string or number ("1 234,50" is not guessed at: use a dot), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value or "").strip().replace(" ", "").replace("_", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _optional_id(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isdigit() and len(text) <= 18:
        return int(text)
    raise ValueError(text)


def _clean_amount(data: Mapping[str, Any], clean: dict[str, Any], errors: dict[str, str]) -> None:
    currency = str(data.get("currency") or "").strip().upper()
    if "currency" in data:
        if not valid_currency(currency):
            errors["currency"] = _("Choose a currency from the list.")
        else:
            clean["currency"] = currency
    if "amount" in data:
        amount = parse_amount(data["amount"])
        if amount is None:
            errors["amount"] = _("Enter an amount like 1250.50.")
        elif amount < 0 or amount >= MAX_AMOUNT:
            errors["amount"] = _("Enter an amount from 0 to 999,999,999,999,999.")
        else:
            decimals = currency_decimals(currency) if valid_currency(currency) else 3
            exponent = amount.normalize().as_tuple().exponent
            if isinstance(exponent, int) and -exponent > decimals:
                errors["amount"] = _("This currency has at most %(count)d decimal places.", count=decimals)
            else:
                clean["amount"] = amount


def clean_deal(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate the deal fields present in ``data``; returns (clean values, errors keyed by field).

    ``amount`` needs ``currency`` beside it (callers pass the current one when only the amount changes).
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "name" in data:
        name = " ".join(str(data["name"] or "").split())
        if not name:
            errors["name"] = _("Enter a name for the deal.")
        elif len(name) > 200:
            errors["name"] = _("Use at most %(count)d characters.", count=200)
        clean["name"] = name
    _clean_amount(data, clean, errors)
    if "expected_close_date" in data:
        raw = data["expected_close_date"]
        try:
            clean["expected_close_date"] = None if raw in (None, "") else parse_date(raw)
        except ValueError:
            errors["expected_close_date"] = _("Enter a date like 2026-03-31.")
    for name in ("owner_id", "company_id", "pipeline_id", "stage_id"):
        if name in data:
            try:
                clean[name] = _optional_id(data[name])
            except ValueError:
                errors[name] = _("Choose one from the list.")
    if "contact_ids" in data:
        raw_ids = data["contact_ids"] or []
        try:
            ids = sorted({_optional_id(value) for value in raw_ids} - {None})  # type: ignore[type-var]
        except (ValueError, TypeError):
            errors["contact_ids"] = _("Choose contacts from the list.")
        else:
            if len(ids) > MAX_CONTACTS:
                errors["contact_ids"] = _("Link at most %(count)d contacts.", count=MAX_CONTACTS)
            clean["contact_ids"] = ids
    return clean, errors


def clean_lost(reason: Any, note: Any) -> tuple[str, str, dict[str, str]]:
    """A lost reason from the list (required) and an optional note of at most 500 characters."""
    errors: dict[str, str] = {}
    reason = str(reason or "")
    note = str(note or "").strip()
    if reason not in LOST_REASONS:
        errors["lost_reason"] = _("Choose why the deal was lost.")
    if len(note) > 500:
        errors["lost_note"] = _("Use at most %(count)d characters.", count=500)
    return reason, note, errors
