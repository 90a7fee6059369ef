"""Jinja filters and globals for CLDR formatting in the reader's language, time zone and currency.

``{{ contact.created_at|datetime }}``, ``{{ deal.amount|currency(deal.currency) }}``, ``{{ 0.25|percent }}``,
``{{ task.due_at|relative }}``, ``{{ contact.phone|phone }}``, ``{{ address|address_lines(country) }}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from jinja2 import Environment

from sampark.platform.i18n import current_locale, html_lang, locale_choices, text_direction
from sampark.platform.i18n import formatting as fmt
from sampark.platform.i18n.context import current_preferences
from sampark.platform.i18n.people import format_address, format_name


def _datetime(value: datetime | None, format: str = "medium") -> str:
    return fmt.format_datetime(value, format) if value else ""


def _date(value: date | datetime | None, format: str = "medium") -> str:
    return fmt.format_date(value, format) if value else ""


def _time(value: datetime | time | None, format: str = "short") -> str:
    return fmt.format_time(value, format) if value else ""


def _relative(value: datetime | None) -> str:
    return fmt.format_relative(value) if value else ""


def _number(value: Any, decimals: int | None = None) -> str:
    return "" if value is None or value == "" else fmt.format_number(value, decimals=decimals)


def _currency(value: Any, currency: str | None = None) -> str:
    return "" if value is None or value == "" else fmt.format_currency(value, currency or None)


def _percent(value: Any, decimals: int = 0) -> str:
    return "" if value is None or value == "" else fmt.format_percent(value, decimals=decimals)


def _phone(value: str | None, international: bool | None = None) -> str:
    return fmt.format_phone(value, international=international)


def _person_name(given: str | None, family: str | None = "", country: str = "") -> str:
    return format_name(given or "", family or "", country=country, language=current_locale())


def _address_lines(address: Mapping[str, str | None] | None, country: str | None = None) -> list[str]:
    if not address:
        return []
    return format_address(
        address, country or str(address.get("country") or "") or current_preferences().country
    )


FILTERS = {
    "datetime": _datetime,
    "date": _date,
    "time": _time,
    "relative": _relative,
    "number": _number,
    "currency": _currency,
    "percent": _percent,
    "phone": _phone,
    "person_name": _person_name,
    "address_lines": _address_lines,
    "bcp47": html_lang,
}


def install(env: Environment) -> None:
    """Add the formatting filters and the language switcher's data to ``env``."""
    env.filters.update(FILTERS)
    env.globals["locale_choices"] = locale_choices
    env.globals["text_direction"] = text_direction
