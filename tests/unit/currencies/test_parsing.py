"""Rate validation, CSV parsing and the in-memory rate book, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sampark.tenants.currencies.conversion import RateBook, round_money
from sampark.tenants.currencies.imports import MAX_ROWS, parse_rates
from sampark.tenants.currencies.validation import clean_currency, clean_day, clean_rate


@pytest.mark.parametrize(
    ("value", "expected"),
    [("83.25", Decimal("83.25")), (" 0.0000238 ", Decimal("0.0000238")), ("1E2", Decimal(100)),
     ("99999999999999", Decimal("99999999999999"))],
)  # fmt: skip
def test_good_rates(value: str, expected: Decimal) -> None:
    assert clean_rate(value) == (expected, None)


@pytest.mark.parametrize(
    "value", ["", "0", "-2", "1,5", "1_000", "abc", "NaN", "inf", "1e14", "100000000000000", "0.00000000001"]
)
def test_bad_rates(value: str) -> None:
    rate, problem = clean_rate(value)
    assert rate is None and problem


def test_currency_and_day_checks() -> None:
    assert clean_currency(" usd", "EUR") == ("USD", None)
    assert clean_currency("EUR", "EUR")[1]
    assert clean_currency("EURO", "EUR")[1] and clean_currency("QQQ", "EUR")[1]
    assert clean_day("2026-03-31") == (date(2026, 3, 31), None)
    assert clean_day("31.03.2026")[1] and clean_day("1800-01-01")[1]


def test_parse_keeps_every_problem_with_its_line() -> None:
    rows, problems = parse_rates(
        b'currency,rate,date\nUSD,0.9,2026-01-01\n"GBP",x,2026-01-01\nJPY,1\n', "EUR"
    )
    assert [row.currency for row in rows] == ["USD"]
    assert [problem.line for problem in problems] == [3, 4]


def test_parse_limits() -> None:
    many = "".join(f"USD,1,{date.fromordinal(730000 + day).isoformat()}\n" for day in range(MAX_ROWS + 1))
    rows, problems = parse_rates(many.encode(), "EUR")
    assert rows == [] and problems[0].line == 0
    assert parse_rates(b"", "EUR")[1][0].line == 0


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [("2.5", "JPY", "3"), ("1.005", "EUR", "1.01"), ("0.0005", "KWD", "0.001"), ("-1.005", "EUR", "-1.01")],
)
def test_round_money_half_up_to_the_minor_unit(amount: str, currency: str, expected: str) -> None:
    assert str(round_money(Decimal(amount), currency)) == expected


def test_rate_book_picks_the_rate_valid_on_the_day_and_says_when_none() -> None:
    book = RateBook("EUR", {"USD": ([date(2026, 1, 1), date(2026, 2, 1)], [Decimal("0.9"), Decimal("0.95")])})
    assert book.rate("USD", date(2025, 12, 31)) is None
    assert book.rate("USD", date(2026, 1, 31)) == Decimal("0.9")
    assert book.rate("USD", date(2026, 2, 1)) == Decimal("0.95")
    assert book.rate("", date(2026, 2, 1)) == Decimal(1)  # no currency of its own: the base
    total = book.total(
        [("EUR", Decimal(10), 1), ("USD", Decimal(10), 2), ("INR", Decimal(99), 3)], date(2026, 3, 1)
    )
    assert (total.amount, total.missing, total.missing_count, total.complete) == (
        Decimal("19.50"),
        ("INR",),
        3,
        False,
    )
