"""What the currency services return and raise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sampark.tenants.records.errors import FieldErrors, RecordNotFound

__all__ = [
    "RateError",
    "RateImportError",
    "RateNotFound",
    "RatePage",
    "RateView",
    "RowProblem",
    "rate_from_row",
]

SOURCES = ("manual", "import")


@dataclass(frozen=True)
class RateView:
    """``1 currency = rate base`` from ``valid_from`` on."""

    id: int
    currency: str
    base: str
    rate: Decimal
    valid_from: date
    source: str
    created_by: int | None
    created_at: datetime
    updated_at: datetime

    @property
    def decimals(self) -> int:
        """How many fractional digits the rate really has (83.2500000000 → 2), for display."""
        exponent = self.rate.normalize().as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def rate_from_row(row: Any) -> RateView:
    return RateView(
        row["id"], row["currency"], row["base"], row["rate"], row["valid_from"], row["source"],
        row["created_by"], row["created_at"], row["updated_at"],
    )  # fmt: skip


@dataclass(frozen=True)
class RatePage:
    items: list[RateView]
    next_cursor: str | None


@dataclass(frozen=True)
class RowProblem:
    """One refused line of an import: its 1-based line number in the file and why."""

    line: int
    reason: str


class RateNotFound(RecordNotFound):
    pass


class RateError(FieldErrors):
    """A rate entered by hand was refused; ``errors`` maps ``currency``, ``rate``, ``valid_from`` to messages."""


class RateImportError(FieldErrors):
    """An import was refused as a whole; ``problems`` lists every bad line (``errors`` keys them ``line.N``)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__({f"line.{problem.line}": problem.reason for problem in problems})
        self.problems = problems
