"""Deal amounts in the tenant's base currency, for lists: an open deal at today's rate, a closed one at the
rate of the day it closed (what it was worth when it was won or lost)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date
from decimal import Decimal

from sampark.tenants.currencies.conversion import rate_book, today
from sampark.tenants.deals.schemas import DealView


@dataclass(frozen=True)
class BaseAmounts:
    """``amounts[deal id]``: the amount in ``base``, or None when its currency has no rate for that day."""

    base: str
    amounts: dict[int, Decimal | None]

    def of(self, deal: DealView) -> Decimal | None:
        return self.amounts.get(deal.id)


def rate_day(deal: DealView) -> date:
    """The day whose rate values ``deal``: its closing day (UTC) once closed, else today."""
    return deal.closed_at.astimezone(UTC).date() if deal.closed_at and deal.status != "open" else today()


async def base_amounts(deals: Sequence[DealView]) -> BaseAmounts:
    """Every deal's amount in the base currency, with one rate query for the whole page."""
    days = [rate_day(deal) for deal in deals]
    book = await rate_book({deal.currency for deal in deals}, max(days, default=today()))
    return BaseAmounts(
        book.base,
        {
            deal.id: book.convert(deal.amount, deal.currency, day)
            for deal, day in zip(deals, days, strict=True)
        },
    )
