"""Reading an exchange-rate CSV (``currency,rate,date``): every line checked, every problem kept with its line.

Nothing is written here; ``services.import_rates`` writes only when this found no problem at all.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sampark.platform.i18n import gettext as _
from sampark.tenants.currencies.schemas import RowProblem
from sampark.tenants.currencies.validation import clean_currency, clean_day, clean_rate

MAX_ROWS = 2000
MAX_BYTES = 256 * 1024
HEADER = ("currency", "rate", "date")


@dataclass(frozen=True)
class ImportRow:
    line: int
    currency: str
    rate: Decimal
    valid_from: date


def _row(line: int, cells: list[str], base: str, seen: dict[tuple[str, date], int]) -> ImportRow | RowProblem:
    if len(cells) != 3:
        return RowProblem(
            line, _("Expected 3 values (currency, rate, date), found %(count)d.", count=len(cells))
        )
    currency, problem = clean_currency(cells[0], base)
    rate, rate_problem = clean_rate(cells[1])
    day, day_problem = clean_day(cells[2])
    problem = problem or rate_problem or day_problem
    if problem or rate is None or day is None:
        return RowProblem(line, problem or "")
    if (first := seen.get((currency, day))) is not None:
        return RowProblem(
            line, _("%(code)s already has a rate for this date on line %(line)d.", code=currency, line=first)
        )
    seen[(currency, day)] = line
    return ImportRow(line, currency, rate, day)


def parse_rates(data: bytes, base: str) -> tuple[list[ImportRow], list[RowProblem]]:
    """The rows of a CSV file and the problems found (an empty list of problems means all rows are good)."""
    if len(data) > MAX_BYTES:
        return [], [RowProblem(0, _("The file is larger than 256 KB. Split it into several imports."))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowProblem(0, _("The file is not UTF-8 text."))]
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, date], int] = {}
    try:
        for line, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
            clean = [cell.strip() for cell in cells]
            if not any(clean):
                continue
            if line == 1 and tuple(cell.lower() for cell in clean) == HEADER:
                continue
            result = _row(line, clean, base, seen)
            if isinstance(result, RowProblem):
                problems.append(result)
            else:
                rows.append(result)
    except csv.Error:
        return [], [RowProblem(0, _("The file is not valid CSV."))]
    if len(rows) + len(problems) > MAX_ROWS:
        return [], [RowProblem(0, _("A file may hold at most %(count)d rates.", count=MAX_ROWS))]
    if not rows and not problems:
        problems.append(RowProblem(0, _("The file has no rates.")))
    return rows, problems
