"""The exchange-rate API's request and response bodies. Rates and amounts travel as decimal strings, so no
digit is lost to binary floating point."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from sampark.tenants.currencies.schemas import RateView


class RateCreate(msgspec.Struct, forbid_unknown_fields=True):
    # ISO 4217 code of the foreign currency; not the base currency.
    currency: str
    # How many units of the base currency one unit of ``currency`` is worth, e.g. "83.25" (a number is accepted).
    rate: str | int | float
    # First day the rate applies (ISO date); default today.
    valid_from: str = ""


class RateOut(msgspec.Struct):
    id: int
    currency: str
    base: str
    rate: str
    valid_from: date
    source: str
    created_by: int | None
    created_at: datetime
    updated_at: datetime


class RateList(msgspec.Struct):
    items: list[RateOut]
    next_cursor: str | None


class ImportResult(msgspec.Struct):
    imported: int


class Conversion(msgspec.Struct):
    amount: str
    currency: str
    on_date: date
    base: str
    base_amount: str


def rate_out(view: RateView) -> RateOut:
    return RateOut(
        view.id, view.currency, view.base, format(view.rate.normalize(), "f"), view.valid_from, view.source,
        view.created_by, view.created_at, view.updated_at,
    )  # fmt: skip
