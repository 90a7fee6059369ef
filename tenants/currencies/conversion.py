"""Converting amounts into the tenant's base currency with the latest rate valid on a given day.

A missing rate is never a silent 1:1: ``convert`` raises ``NoRate`` and the batch helpers answer ``None`` (or
list the currencies left out of a total), so pages can say "no rate for XYZ". Arithmetic is Decimal; results
are rounded half-up to the base currency's CLDR minor unit (JPY 0, EUR 2, KWD/BHD 3).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sampark.platform.db.sql import fetch, fetchval
from sampark.platform.i18n.formatting import currency_decimals
from sampark.tenants.currencies.tables import ExchangeRate
from sampark.tenants.search.listing import Sql
from sampark.tenants.settings.services import effective_region_settings

_LATEST = (
    "SELECT rate FROM exchange_rates WHERE base = $1 AND currency = $2 AND valid_from <= $3"
    " ORDER BY valid_from DESC LIMIT 1"
)
_BOOK = (
    "SELECT currency, valid_from, rate FROM exchange_rates"
    " WHERE base = $1 AND currency = ANY($2::text[]) AND valid_from <= $3 ORDER BY currency, valid_from"
)


class NoRate(LookupError):
    """No rate into the base currency for ``currency`` valid on ``on_date``."""

    def __init__(self, currency: str, base: str, on_date: date) -> None:
        super().__init__(f"no rate for {currency} into {base} on {on_date.isoformat()}")
        self.currency, self.base, self.on_date = currency, base, on_date


def today() -> date:
    """The day rates are read for open deals (UTC, as the database's ``current_date``)."""
    return datetime.now(UTC).date()


def round_money(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half-up to ``currency``'s minor unit."""
    return amount.quantize(Decimal(1).scaleb(-currency_decimals(currency)), rounding=ROUND_HALF_UP)


async def base_currency() -> str:
    """The tenant's base currency: its ``default_currency`` setting (the region preset's unless changed)."""
    return (await effective_region_settings()).default_currency


async def convert(amount: Decimal, currency: str, on_date: date, *, base: str | None = None) -> Decimal:
    """``amount`` of ``currency`` in the base currency, at the latest rate valid on ``on_date``.

    Raises:
        NoRate: no rate for ``currency`` on or before ``on_date`` (against today's base currency).
    """
    base = base or await base_currency()
    code = currency or base
    if code == base:
        return round_money(amount, base)
    rate = await fetchval(ExchangeRate, _LATEST, base, code, on_date)
    if rate is None:
        raise NoRate(code, base, on_date)
    return round_money(amount * rate, base)


@dataclass(frozen=True)
class BaseTotal:
    """A sum in the base currency, and what it leaves out for want of a rate."""

    base: str
    amount: Decimal
    # Currencies without a rate and how many deals (or rows) in them were left out.
    missing: tuple[str, ...] = ()
    missing_count: int = 0

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class RateBook:
    """Every rate needed for a page, read once: ``{currency: (days ascending, rates)}`` against ``base``."""

    base: str
    rates: dict[str, tuple[list[date], list[Decimal]]] = field(default_factory=dict)

    def rate(self, currency: str, on_date: date) -> Decimal | None:
        code = currency or self.base
        if code == self.base:
            return Decimal(1)
        days, values = self.rates.get(code, ([], []))
        index = bisect_right(days, on_date)
        return values[index - 1] if index else None

    def convert(self, amount: Decimal, currency: str, on_date: date) -> Decimal | None:
        """``amount`` in the base currency, rounded; None when there is no rate."""
        rate = self.rate(currency, on_date)
        return None if rate is None else round_money(amount * rate, self.base)

    def total(
        self, parts: Iterable[tuple[str, Decimal, int]], on_date: date, factor: Decimal = Decimal(1)
    ) -> BaseTotal:
        """Sum ``(currency, amount, count)`` parts in the base currency (times ``factor``), rounded once."""
        amount, missing, left_out = Decimal(0), [], 0
        for currency, part, count in parts:
            rate = self.rate(currency, on_date)
            if rate is None:
                missing.append(currency)
                left_out += count
            else:
                amount += part * rate * factor
        return BaseTotal(self.base, round_money(amount, self.base), tuple(sorted(set(missing))), left_out)


def base_amount_sql(sql: Sql, base: str, alias: str = "d", day: str = "") -> tuple[str, str]:
    """SQL for a deal row's amount in ``base`` (NULL when its currency has no rate on ``day``) and the join it
    needs; ``day`` defaults to the closing day of a closed deal and today for an open one (as ``deals.money``)."""
    code = sql.bind(base)
    on = day or f"coalesce(({alias}.closed_at AT TIME ZONE 'UTC')::date, {sql.bind(today())})"
    join = (
        f"LEFT JOIN LATERAL (SELECT x.rate FROM exchange_rates x WHERE x.base = {code}"
        f" AND x.currency = {alias}.currency AND x.valid_from <= {on} ORDER BY x.valid_from DESC LIMIT 1) fx ON true"
    )
    value = f"CASE WHEN coalesce(nullif({alias}.currency, ''), {code}) = {code} THEN {alias}.amount ELSE {alias}.amount * fx.rate END"
    return value, join


# Aggregates over ``base_amount_sql``'s value: the sum, how many rows had no rate, and their currencies.
AGGREGATES = (
    "sum(value) AS value, count(*) FILTER (WHERE value IS NULL) AS missing,"
    " coalesce(array_agg(DISTINCT currency) FILTER (WHERE value IS NULL), '{}') AS missing_codes"
)


def total_from_row(row: Any, base: str) -> BaseTotal:
    """A ``BaseTotal`` from a row carrying ``AGGREGATES``."""
    return BaseTotal(
        base,
        round_money(row["value"] or Decimal(0), base),
        tuple(sorted(code or base for code in row["missing_codes"])),
        int(row["missing"]),
    )


async def rate_book(currencies: Iterable[str], until: date, *, base: str | None = None) -> RateBook:
    """The rates for ``currencies`` valid on or before ``until`` (one query; none when all are the base)."""
    base = base or await base_currency()
    wanted = sorted({code for code in currencies if code and code != base})
    book = RateBook(base)
    if not wanted:
        return book
    for row in await fetch(ExchangeRate, _BOOK, base, wanted, until):
        days, values = book.rates.setdefault(row["currency"], ([], []))
        days.append(row["valid_from"])
        values.append(row["rate"])
    return book
