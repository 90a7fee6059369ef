"""Checks shared by the rate form, the API and the CSV import: a currency code, a rate, a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies

from sampark.platform.i18n import gettext as _

MAX_INTEGER_DIGITS = 14
MAX_FRACTION_DIGITS = 10
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def currency_problem() -> str:
    return _("Enter a three-letter currency code such as INR, EUR or USD.")


def clean_currency(value: str, base: str) -> tuple[str, str | None]:
    """The upper-cased ISO 4217 code, or an error message."""
    code = value.strip().upper()
    if len(code) != 3 or code not in list_currencies():
        return code, currency_problem()
    if code == base:
        return code, _("%(code)s is the base currency: its rate is always 1.", code=code)
    return code, None


def clean_rate(value: str) -> tuple[Decimal | None, str | None]:
    """A positive rate written with a point for decimals and no grouping, or an error message."""
    text = value.strip()
    try:
        rate = Decimal(text) if text and "," not in text and "_" not in text else None
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite():
        return None, _("Enter a rate like 83.25 (a point for decimals, no thousands separators).")
    if rate <= 0:
        return None, _("A rate must be more than 0.")
    exponent = rate.as_tuple().exponent
    fraction = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if fraction > MAX_FRACTION_DIGITS or rate.adjusted() >= MAX_INTEGER_DIGITS:
        return None, _("A rate may have at most 14 digits before the point and 10 after it.")
    return rate, None


def clean_day(value: str) -> tuple[date | None, str | None]:
    """An ISO date (2026-03-31) within a sane range, or an error message."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None, _("Enter a date like 2026-03-31.")
    if not EARLIEST <= day <= LATEST:
        return None, _("Enter a date between 1900 and 2100.")
    return day, None
