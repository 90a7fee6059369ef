"""The reader's preferences for the current request or job: language, time zone, currency and region.

The language lives in the translations' own context variable (``use_locale``); the rest sits beside it, so the
formatting helpers and Jinja filters need no arguments to show a date in the reader's time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from sampark.platform.i18n.translations import DEFAULT_LOCALE, current_locale, set_locale, use_locale

DEFAULT_TIME_ZONE = "UTC"
DEFAULT_CURRENCY = "USD"


@dataclass(frozen=True)
class Preferences:
    """How to present things to one reader.

    Attributes:
        locale: a shipped locale id (``pt_BR``).
        time_zone: an IANA zone name.
        currency: the ISO 4217 code amounts are shown in when none is given.
        country: ISO 3166 alpha-2 of the tenant's region, "" for multi-country regions (phone numbers are
            read as national numbers of this country).
        cldr_region: the CLDR region used with the language for number and date conventions ("IN" gives
            Indian digit grouping to English, "150" gives European English, "001" world English).
        tenant_locale: the tenant's default language, the second choice when tenant-written text (stage
            names, mail templates) has no version in ``locale`` (``platform/i18n/tenant_text.py``).
    """

    locale: str = DEFAULT_LOCALE
    time_zone: str = DEFAULT_TIME_ZONE
    currency: str = DEFAULT_CURRENCY
    country: str = ""
    cldr_region: str = ""
    tenant_locale: str = ""


_preferences: ContextVar[Preferences | None] = ContextVar("sampark_preferences", default=None)


def current_preferences() -> Preferences:
    """The active preferences, with the language always the one translations use right now."""
    preferences = _preferences.get() or Preferences()
    locale = current_locale()
    if preferences.locale != locale:
        return Preferences(locale, preferences.time_zone, preferences.currency, preferences.country,
                           preferences.cldr_region, preferences.tenant_locale)  # fmt: skip
    return preferences


@contextmanager
def use_preferences(preferences: Preferences) -> Iterator[Preferences]:
    """Translate and format everything inside the block for ``preferences``."""
    token = _preferences.set(preferences)
    try:
        with use_locale(preferences.locale):
            yield preferences
    finally:
        _preferences.reset(token)


def set_preferences(preferences: Preferences) -> None:
    """Switch to ``preferences`` for the rest of the enclosing ``use_preferences`` block, which restores the
    previous ones on exit. For request code that learns the reader's preferences part-way through (after the
    tenant and member are known), so error pages rendered later in the same request keep them too.
    """
    _preferences.set(preferences)
    set_locale(preferences.locale)


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def valid_time_zone(name: str | None) -> bool:
    return bool(name) and name in time_zone_names()


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def valid_currency(code: str | None) -> bool:
    return bool(code) and code in currency_codes()


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for ``name``; UTC for a name this machine does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


@lru_cache(maxsize=256)
def format_locale(locale: str, cldr_region: str = "") -> Locale:
    """The Babel locale for formatting: the language with the region's conventions when CLDR has that pair.

    ``en`` in India formats as ``en_IN`` (12,34,567); ``de`` in the EU stays ``de`` (there is no ``de_150``).
    """
    language = Locale.parse(locale)
    if cldr_region and not language.territory:
        try:
            return Locale.parse(f"{language.language}_{cldr_region}")
        except (UnknownLocaleError, ValueError):
            pass
    return language
