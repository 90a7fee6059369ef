"""CLDR formatting in the reader's language, time zone, currency and regional conventions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from sampark.platform.i18n import Preferences, ngettext, use_locale, use_preferences
from sampark.platform.i18n.formatting import (
    currency_decimals,
    format_currency,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_phone,
    format_relative,
    format_time,
)


def reader(
    locale: str = "en", time_zone: str = "UTC", currency: str = "USD", country: str = "", region: str = ""
):
    return use_preferences(Preferences(locale, time_zone, currency, country, region))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Berlin moves from CET (+1) to CEST (+2) at 01:00 UTC on 31 March 2024.
        (datetime(2024, 3, 31, 0, 30, tzinfo=UTC), "01:30"),
        (datetime(2024, 3, 31, 1, 30, tzinfo=UTC), "03:30"),
        # ... and back at 01:00 UTC on 27 October 2024: 02:30 happens twice.
        (datetime(2024, 10, 27, 0, 30, tzinfo=UTC), "02:30"),
        (datetime(2024, 10, 27, 1, 30, tzinfo=UTC), "02:30"),
        (datetime(2024, 10, 27, 2, 30, tzinfo=UTC), "03:30"),
    ],
)
def test_berlin_wall_clock_across_dst(moment: datetime, expected: str) -> None:
    with reader("de", "Europe/Berlin"):
        assert format_time(moment, "HH:mm") == expected


def test_new_york_across_dst_and_the_date_line_of_a_day() -> None:
    with reader("en", "America/New_York"):
        # 10 March 2024: EST (-5) until 07:00 UTC, then EDT (-4).
        assert format_time(datetime(2024, 3, 10, 6, 59, tzinfo=UTC), "HH:mm zzz") == "01:59 EST"
        assert format_time(datetime(2024, 3, 10, 7, 0, tzinfo=UTC), "HH:mm zzz") == "03:00 EDT"
        # 02:30 UTC on 3 November is still 2 November in New York.
        assert format_date(datetime(2024, 11, 3, 2, 30, tzinfo=UTC), "yyyy-MM-dd") == "2024-11-02"
        assert (
            format_datetime(datetime(2024, 11, 3, 7, 30, tzinfo=UTC), "yyyy-MM-dd HH:mm")
            == "2024-11-03 02:30"
        )


def test_dates_follow_the_language_and_naive_values_are_utc() -> None:
    moment = datetime(2024, 7, 14, 12, 0)  # naive: taken as UTC
    with reader("fr", "Europe/Paris"):
        assert format_date(moment, "long") == "14 juillet 2024"
        assert format_time(moment, "HH:mm") == "14:00"
    with reader("ja", "Asia/Tokyo"):
        assert format_date(moment, "long") == "2024年7月14日"
    with reader("hi", "Asia/Kolkata"):
        assert format_time(moment, "HH:mm") == "17:30"
    assert format_date(date(2024, 1, 2), "short", locale="de") == "02.01.24"


@pytest.mark.parametrize(
    ("currency", "decimals", "text"),
    [("JPY", 0, "¥1,235"), ("EUR", 2, "€1,234.57"), ("KWD", 3, "KWD1,234.568")],
)
def test_currencies_keep_their_own_decimals(currency: str, decimals: int, text: str) -> None:
    assert currency_decimals(currency) == decimals
    with reader("en"):
        assert format_currency(Decimal("1234.5678"), currency) == text


def test_currency_symbol_and_separators_follow_the_language() -> None:
    with reader("de", currency="EUR"):
        assert format_currency(1234.5) == "1.234,50\xa0€"
        assert format_currency(1234.5, "JPY") == "1.234\xa0¥"  # no decimals, even after a German comma
    with reader("fr"):
        assert format_currency(Decimal("1234.5678"), "KWD") == "1\u202f234,568\xa0KWD"


def test_indian_digit_grouping_for_hindi_and_english_in_india() -> None:
    with reader("hi", "Asia/Kolkata", "INR", "IN", "IN"):
        assert format_number(1234567) == "12,34,567"
        assert format_currency(1234567.5) == "₹12,34,567.50"
    with reader("en", "Asia/Kolkata", "INR", "IN", "IN"):
        assert format_number(123456789) == "12,34,56,789"
        assert format_number(1234567.891, decimals=2) == "12,34,567.89"
    with reader("en", region="150"):
        assert format_number(1234567) == "1,234,567"
    with reader("de"):
        assert format_number(1234567.5, decimals=2) == "1.234.567,50"


def test_percentages() -> None:
    with reader("en"):
        assert format_percent(0.256) == "26%"
        assert format_percent(0.2567, decimals=1) == "25.7%"
    with reader("de"):
        assert format_percent(0.256) == "26\xa0%"
    with reader("ar"):
        assert "26" in format_percent(0.256) and "%" in format_percent(0.256)


def test_relative_times() -> None:
    now = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
    with reader("en"):
        assert format_relative(now - timedelta(days=3), now=now) == "3 days ago"
        assert format_relative(now + timedelta(hours=2), now=now) == "in 2 hours"
        assert format_relative(now - timedelta(seconds=40), now=now) == "40 seconds ago"
    with reader("de"):
        assert format_relative(now - timedelta(days=3), now=now) == "vor 3 Tagen"
    with reader("hi"):
        assert format_relative(now - timedelta(days=3), now=now) == "3 दिन पहले"
    with reader("ar"):
        assert format_relative(now - timedelta(days=3), now=now) == "قبل 3 أيام"


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "لا أيام"), (1, "يوم واحد"), (2, "يومان"), (3, "3 أيام"), (11, "11 يومًا"), (100, "100 يوم")],
)
def test_arabic_picks_the_right_plural_form(count: int, expected: str) -> None:
    with use_locale("ar"):
        assert ngettext("%(num)d day", "%(num)d days", count) == expected


def test_other_plural_rules() -> None:
    with use_locale("fr"):  # French: 0 and 1 are singular
        assert ngettext("%(num)d day", "%(num)d days", 0) == "0 jour"
        assert ngettext("%(num)d day", "%(num)d days", 2) == "2 jours"
    with use_locale("de"):  # German: 0 is plural
        assert ngettext("%(num)d day", "%(num)d days", 0) == "0 Tage"
    with use_locale("ja"):  # Japanese: one form for every number
        assert ngettext("%(num)d day", "%(num)d days", 1) == "1 日間"
        assert ngettext("%(num)d day", "%(num)d days", 5) == "5 日間"


def test_phone_numbers_national_at_home_international_abroad() -> None:
    with reader("en", country="IN", region="IN"):
        assert format_phone("09876543210") == "098765 43210"
        assert format_phone("+91 98765 43210") == "098765 43210"
        assert format_phone("+14155550123") == "+1 415-555-0123"
        assert format_phone("+91 98765 43210", international=True) == "+91 98765 43210"
    with reader("de", region="150"):  # no single home country: always international
        assert format_phone("+49301234567") == "+49 30 1234567"
    assert format_phone("not a number") == "not a number"
    assert format_phone("") == ""
