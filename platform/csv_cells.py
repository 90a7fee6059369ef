"""CSV cells a spreadsheet shows rather than runs: every export writes its rows through here."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """``value`` as text a spreadsheet shows instead of evaluating (a leading quote before formula starts)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_line(values: Iterable[Any]) -> str:
    """One CSV row, every cell guarded by ``safe_cell``."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(value) for value in values])
    return buffer.getvalue()
