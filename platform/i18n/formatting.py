"""CLDR formatting (through Babel) in the reader's language, time zone, currency and regional conventions.

Every helper reads the active ``Preferences`` unless told otherwise, so the same call shows 12,34,567 to an
Indian team and 1.234.567 to a German one. Stored datetimes are aware (TIMESTAMPTZ); a naive one is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import phonenumbers
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from sampark.platform.i18n.context import current_preferences, format_locale, zone

Number = int | float | Decimal


def _locale(locale: str | None = None) -> Locale:
    preferences = current_preferences()
    return format_locale(locale or preferences.locale, preferences.cldr_region)


def in_time_zone(value: datetime, time_zone: str | None = None) -> datetime:
    """``value`` as wall-clock time in ``time_zone`` (default: the reader's)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(zone(time_zone or current_preferences().time_zone))


def format_datetime(
    value: datetime | None, format: str = "medium", *, time_zone: str | None = None, locale: str | None = None
) -> str:
    """A date and time in the reader's zone: ``format`` is short, medium, long, full or a CLDR pattern."""
    if value is None:
        return ""
    return babel_dates.format_datetime(in_time_zone(value, time_zone), format, locale=_locale(locale))


def format_date(
    value: date | datetime | None,
    format: str = "medium",
    *,
    time_zone: str | None = None,
    locale: str | None = None,
) -> str:
    """A calendar date; a datetime is first moved to the reader's zone (23:30 UTC is tomorrow in Delhi)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = in_time_zone(value, time_zone).date()
    return babel_dates.format_date(value, format, locale=_locale(locale))


def format_time(
    value: datetime | time | None,
    format: str = "short",
    *,
    time_zone: str | None = None,
    locale: str | None = None,
) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = in_time_zone(value, time_zone)  # kept whole: the zone's name depends on the date (EST/EDT)
    return babel_dates.format_time(value, format, locale=_locale(locale))


def format_relative(
    value: datetime | None, *, now: datetime | None = None, locale: str | None = None, threshold: float = 0.85
) -> str:
    """ "3 days ago", "in 2 hours": the distance from ``now`` rounded to the largest sensible unit."""
    if value is None:
        return ""
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    reference = now or datetime.now(UTC)
    reference = reference if reference.tzinfo is not None else reference.replace(tzinfo=UTC)
    delta: timedelta = moment - reference
    return babel_dates.format_timedelta(
        delta, add_direction=True, threshold=threshold, format="long", locale=_locale(locale)
    )


def _with_decimals(pattern: str, decimals: int) -> str:
    """The locale's pattern (grouping, sign and percent placement kept) with exactly ``decimals`` digits."""
    positive = pattern.split(";")[0]
    core = re.search(r"[#0,.]+", positive)
    if core is None:
        return positive
    integer = core.group(0).split(".")[0]
    fraction = "." + "0" * decimals if decimals > 0 else ""
    return positive[: core.start()] + integer + fraction + positive[core.end() :]


def format_number(value: Number | None, *, decimals: int | None = None, locale: str | None = None) -> str:
    """A number with the reader's separators and grouping (Indian lakh/crore grouping for hi and en_IN)."""
    if value is None:
        return ""
    babel_locale = _locale(locale)
    if decimals is None:
        return babel_numbers.format_decimal(value, locale=babel_locale)
    pattern = _with_decimals(babel_locale.decimal_formats[None].pattern, decimals)
    return babel_numbers.format_decimal(value, format=pattern, locale=babel_locale)


def format_currency(value: Number | None, currency: str | None = None, *, locale: str | None = None) -> str:
    """An amount with the currency's own number of decimals from CLDR (JPY 0, EUR 2, KWD 3)."""
    if value is None:
        return ""
    code = currency or current_preferences().currency
    return babel_numbers.format_currency(value, code, locale=_locale(locale))


def currency_decimals(currency: str) -> int:
    """How many minor-unit digits ``currency`` has (0 for JPY, 2 for EUR, 3 for KWD)."""
    return int(babel_numbers.get_currency_precision(currency))


def format_percent(value: Number | None, *, decimals: int = 0, locale: str | None = None) -> str:
    """``0.256`` as "26 %" (de), "26%" (en) or "26‎%" (ar), by the locale's rules."""
    if value is None:
        return ""
    babel_locale = _locale(locale)
    pattern = _with_decimals(babel_locale.percent_formats[None].pattern, decimals)
    return babel_numbers.format_percent(value, format=pattern, locale=babel_locale)


def format_phone(number: str | None, *, region: str | None = None, international: bool | None = None) -> str:
    """A phone number for display: national form for a number of the reader's country, else international.

    ``region`` is the country a number without ``+`` belongs to (default: the tenant's). Anything that does not
    parse as a possible number is shown as typed, never dropped.
    """
    if not number:
        return ""
    home = (region or current_preferences().country or "").upper() or None
    try:
        parsed = phonenumbers.parse(number, home)
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_possible_number(parsed):
        return number
    number_region = phonenumbers.region_code_for_number(parsed)
    use_international = (
        international if international is not None else (home is None or number_region != home)
    )
    style = (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
        if use_international
        else phonenumbers.PhoneNumberFormat.NATIONAL
    )
    return phonenumbers.format_number(parsed, style)
