"""Postal addresses: cleaning, country choices, and display lines in a simple per-country order.

Shared by contacts and companies. An address is a plain dict stored in JSONB:
``{"label", "street", "city", "region", "postcode", "country"}`` with ``country`` an ISO 3166-1 alpha-2 code.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError

from sampark.platform.i18n import current_locale
from sampark.platform.i18n import gettext as _

ADDRESS_FIELDS = ("street", "city", "region", "postcode", "country")
LIMITS = {"label": 40, "street": 200, "city": 100, "region": 100, "postcode": 20, "country": 2}
# CLDR lists groupings and placeholders beside real countries; they are not places anyone lives.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})

# How lines are ordered, by country; the rest of the world uses the continental European order. Simple on
# purpose: a full postal formatter (libaddressinput's data) is a later increment.
_CITY_REGION_POSTCODE = frozenset({"US", "CA", "AU", "IN", "NZ", "MX", "PH"})
_CITY_THEN_POSTCODE = frozenset({"GB", "IE", "LK", "ZA"})


@lru_cache(maxsize=8)
def _territories(locale: str) -> dict[str, str]:
    try:
        names = Locale.parse(locale).territories
    except (UnknownLocaleError, ValueError):
        names = Locale("en").territories
    return {code: name for code, name in names.items() if len(code) == 2 and code.isalpha()}


def country_codes() -> frozenset[str]:
    return frozenset(_territories("en")) - _NOT_COUNTRIES


def country_name(code: str) -> str:
    """The country's name in the current language (the code itself when unknown)."""
    return _territories(current_locale()).get(code, code)


def country_choices() -> list[tuple[str, str]]:
    """``(code, name)`` for a select box, sorted by name in the current language."""
    names = _territories(current_locale())
    return sorted(((code, names.get(code, code)) for code in country_codes()), key=lambda item: item[1])


def is_blank(address: Mapping[str, Any]) -> bool:
    return not any(str(address.get(name) or "").strip() for name in ADDRESS_FIELDS)


def clean_address(raw: Mapping[str, Any], prefix: str, errors: dict[str, str]) -> dict[str, str]:
    """Trim and check one address; problems go into ``errors`` under ``<prefix>.<field>``."""
    address = {name: str(raw.get(name) or "").strip() for name in ("label", *ADDRESS_FIELDS)}
    address["country"] = address["country"].upper()
    for name, limit in LIMITS.items():
        if len(address[name]) > limit and name != "country":
            errors[f"{prefix}.{name}"] = _("Use at most %(limit)d characters.", limit=limit)
    if address["country"] and address["country"] not in country_codes():
        errors[f"{prefix}.country"] = _("Choose a country from the list.")
    if not is_blank(address) and not (address["city"] or address["street"] or address["postcode"]):
        errors[f"{prefix}.city"] = _("Enter at least a street, a city or a postcode.")
    return address


def address_lines(address: Mapping[str, Any]) -> list[str]:
    """The address as display lines, in the usual order for its country; empty parts left out."""
    street, city, region, postcode, country = (str(address.get(name) or "") for name in ADDRESS_FIELDS)
    if country in _CITY_REGION_POSTCODE:
        middle = [
            " ".join(part for part in (city + ("," if city and region else ""), region, postcode) if part)
        ]
    elif country in _CITY_THEN_POSTCODE:
        middle = [city, region, postcode]
    else:
        middle = [" ".join(part for part in (postcode, city) if part), region]
    lines = [*street.splitlines(), *middle, country_name(country) if country else ""]
    return [line for line in lines if line.strip()]


def address_text(address: Mapping[str, Any]) -> str:
    """One line, for lists and the audit log."""
    return ", ".join(address_lines(address))
