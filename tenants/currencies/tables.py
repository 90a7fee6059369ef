"""Exchange rates: how many units of the base currency one unit of ``currency`` was worth from ``valid_from``.

Each rate row names the base it was entered against, so changing the tenant's base currency never makes an old
rate convert into the wrong money: conversion reads only rates whose ``base`` is today's base currency.
"""

from decimal import Decimal

from piccolo.columns import BigInt, BigSerial, Date, Numeric, Timestamptz, Varchar
from piccolo.table import Table


class ExchangeRate(Table, tablename="exchange_rates"):
    """One rate: ``1 currency = rate base`` from ``valid_from`` until a later rate for the same pair."""

    id = BigSerial(primary_key=True)
    currency = Varchar(length=3)
    base = Varchar(length=3)
    # 10 fractional digits: weak currencies against strong bases (1 IRR ≈ 0.0000238 USD) keep 5+ significant digits.
    rate = Numeric(digits=(24, 10), default=Decimal(0))
    valid_from = Date()
    source = Varchar(length=8, default="manual")
    created_by = BigInt(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


EXCHANGE_RATE_DDL = (
    # One rate per pair and day; the latest-rate lookup walks this index backwards from the day asked for.
    'CREATE UNIQUE INDEX IF NOT EXISTS exchange_rates_pair_day ON "exchange_rates" ("base", "currency", "valid_from")',
)
