"""What a region rule is: value types, and one dataclass per kind of setting holding its default and the bounds
a tenant admin may move it within. Every rule answers ``check(value)`` with a translated problem or None."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import ngettext


class ConsentModel(StrEnum):
    """How marketing consent is obtained: assumed until refused, or asked for first."""

    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"


# Least to most protective; an admin may move a region's rule only to the right of its floor.
CONSENT_STRICTNESS = (ConsentModel.OPT_OUT, ConsentModel.OPT_IN)


class DeadlineUnit(StrEnum):
    DAYS = "days"
    BUSINESS_DAYS = "business_days"  # Monday to Friday; public holidays are not counted out (see docs)
    MONTHS = "months"  # the same day of the month, or the month's last day when it has none


_SPAN_CYCLE_START = date(2000, 1, 1)
_SPAN_CYCLE_DAYS = 4 * 365 + 1  # every weekday and month length, leap years included


def _add_months(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(start.day, (next_month - timedelta(days=1)).day))


def _add_business_days(start: date, days: int) -> date:
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


@dataclass(frozen=True)
class Deadline:
    """A legal or chosen period, counted from the day something was received."""

    amount: int
    unit: DeadlineUnit = DeadlineUnit.DAYS

    def due(self, received: date) -> date:
        """The last day on which the work is still in time."""
        if self.unit is DeadlineUnit.MONTHS:
            return _add_months(received, self.amount)
        if self.unit is DeadlineUnit.BUSINESS_DAYS:
            return _add_business_days(received, self.amount)
        return received + timedelta(days=self.amount)

    def span(self) -> tuple[int, int]:
        """The fewest and most calendar days this period can last, over every possible start day."""
        return _span(self)

    def fits_within(self, limit: Deadline) -> bool:
        """Whether this period ends no later than ``limit`` whatever day it starts on."""
        if self.unit is limit.unit:
            return self.amount <= limit.amount
        return self.span()[1] <= limit.span()[0]

    def describe(self) -> str:
        """ "30 days", "10 business days", "1 month", in the reader's language."""
        if self.unit is DeadlineUnit.MONTHS:
            return ngettext("%(num)d month", "%(num)d months", self.amount)
        if self.unit is DeadlineUnit.BUSINESS_DAYS:
            return ngettext("%(num)d business day", "%(num)d business days", self.amount)
        return ngettext("%(num)d day", "%(num)d days", self.amount)

    def to_json(self) -> dict[str, Any]:
        return {"amount": self.amount, "unit": self.unit.value}

    @classmethod
    def from_json(cls, data: Any) -> Deadline:
        """Raises ValueError for anything that is not ``{"amount": int >= 0, "unit": known unit}``."""
        if not isinstance(data, dict) or not isinstance(data.get("amount"), int) or data["amount"] < 0:
            raise ValueError(f"not a deadline: {data!r}")
        return cls(int(data["amount"]), DeadlineUnit(data.get("unit", "days")))


@lru_cache(maxsize=256)
def _span(deadline: Deadline) -> tuple[int, int]:
    lengths = {
        (deadline.due(start) - start).days
        for start in (_SPAN_CYCLE_START + timedelta(days=n) for n in range(_SPAN_CYCLE_DAYS))
    }
    return min(lengths), max(lengths)


@dataclass(frozen=True)
class ConsentRule:
    """Marketing consent model; ``floor`` is the least protective model the law allows."""

    default: ConsentModel
    floor: ConsentModel = ConsentModel.OPT_OUT

    def check(self, value: Any) -> str | None:
        if value not in {model.value for model in ConsentModel}:
            return _("Choose one of the listed options.")
        if CONSENT_STRICTNESS.index(ConsentModel(value)) < CONSENT_STRICTNESS.index(self.floor):
            return _("The law in this region requires opt-in consent.")
        return None

    def to_json(self, value: Any) -> Any:
        return ConsentModel(value).value


@dataclass(frozen=True)
class FlagRule:
    """An on/off rule; ``required`` means the law (or our reading of it, see docs) does not let it be off."""

    default: bool
    required: bool = False

    def check(self, value: Any) -> str | None:
        if not isinstance(value, bool):
            return _("Choose one of the listed options.")
        if self.required and not value:
            return _("The law in this region requires this; it cannot be turned off.")
        return None

    def to_json(self, value: Any) -> Any:
        return bool(value)


@dataclass(frozen=True)
class BasesRule:
    """Lawful bases offered when recording why a contact's data is held: a subset of the region's list."""

    default: tuple[str, ...]
    allowed: tuple[str, ...]
    required: tuple[str, ...] = ("consent",)

    def check(self, value: Any) -> str | None:
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            return _("Choose one of the listed options.")
        if any(item not in self.allowed for item in value):
            return _("Choose only bases the law in this region recognises.")
        if any(item not in value for item in self.required):
            return _("Consent must stay available as a lawful basis.")
        return None

    def to_json(self, value: Any) -> Any:
        # Stored in the region's order, so equal choices compare equal however the form sent them.
        return [basis for basis in self.allowed if basis in value]


@dataclass(frozen=True)
class DeadlineRule:
    """A response deadline: ``limit`` is the law's, ``extension`` what the law adds with notice to the person.

    An admin may set any deadline that ends no later than ``limit`` on every start day, never a longer one.
    """

    default: Deadline
    limit: Deadline
    extension: Deadline | None = None

    def check(self, value: Any) -> str | None:
        try:
            deadline = value if isinstance(value, Deadline) else Deadline.from_json(value)
        except ValueError:
            return _("Enter a whole number of days.")
        if deadline.amount < 1:
            return _("Enter at least 1.")
        if not deadline.fits_within(self.limit):
            return _(
                "The law allows at most %(limit)s; choose a shorter deadline.", limit=self.limit.describe()
            )
        return None

    def to_json(self, value: Any) -> Any:
        return (value if isinstance(value, Deadline) else Deadline.from_json(value)).to_json()


@dataclass(frozen=True)
class RangeRule:
    """A whole number between ``minimum`` and ``maximum`` (retention periods, in months)."""

    default: int
    minimum: int
    maximum: int

    def check(self, value: Any) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return _("Enter a whole number.")
        if not self.minimum <= value <= self.maximum:
            return _("Choose a number from %(min)d to %(max)d.", min=self.minimum, max=self.maximum)
        return None

    def to_json(self, value: Any) -> Any:
        return int(value)


@dataclass(frozen=True)
class ChoiceRule:
    """A free choice among valid values (a shipped language, an IANA time zone, an ISO currency)."""

    default: str
    options: Callable[[], Collection[str]] = field(compare=False, repr=False)

    def check(self, value: Any) -> str | None:
        if not isinstance(value, str) or value not in self.options():
            return _("Choose one of the listed options.")
        return None

    def to_json(self, value: Any) -> Any:
        return str(value)


Rule = ConsentRule | FlagRule | BasesRule | DeadlineRule | RangeRule | ChoiceRule
