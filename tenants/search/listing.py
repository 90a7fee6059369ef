"""List queries shared by every CRM object: allowlisted filters and sorts, keyset cursors, bound parameters.

Identifiers in the SQL come only from the allowlists declared by each object's service; every value the
caller supplies is a bound parameter. A cursor is the sort key of the last row shown, encoded opaquely, so the
next page starts right after it (stable under inserts, and an index range scan at any depth).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sampark.platform.i18n import gettext as _


class ListError(ValueError):
    """A list request the service refuses: an unknown filter or sort field, a bad value or cursor.

    ``code`` is stable (API clients branch on it); ``message`` is translated; ``field`` names the parameter.
    """

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@dataclass
class Sql:
    """Collects WHERE conditions and their bound parameters ($1, $2, ...)."""

    params: list[Any] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)

    def bind(self, value: Any) -> str:
        self.params.append(value)
        return f"${len(self.params)}"

    def where(self, condition: str) -> None:
        self.conditions.append(condition)

    def where_sql(self) -> str:
        return f"WHERE {' AND '.join(self.conditions)}" if self.conditions else ""


# A filter adds its condition to the query for one (already trimmed, non-empty) value; it raises ListError on a
# value it cannot use.
Filter = Callable[[Sql, str], None]


@dataclass(frozen=True)
class Sort:
    """An allowlisted sort: SQL expressions (the id last, so the order is total) and how to read a cursor."""

    expressions: tuple[str, ...]
    # For each expression: "text", "int" or "datetime" (how a cursor value is decoded and checked).
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class ListSpec:
    """What one object's list allows."""

    filters: Mapping[str, Filter]
    sorts: Mapping[str, Sort]
    default_sort: str


@dataclass(frozen=True)
class ListRequest:
    """A validated list request, ready to become SQL."""

    sort: Sort
    descending: bool
    cursor: tuple[Any, ...] | None
    filters: dict[str, str]
    sort_key: str


def parse_request(
    spec: ListSpec, filters: Mapping[str, str], sort: str | None, cursor: str | None
) -> ListRequest:
    """Check ``filters`` and ``sort`` against the allowlists and decode ``cursor``.

    Raises:
        ListError: ``unknown_filter``, ``unknown_sort`` or ``invalid_cursor``.
    """
    for name in filters:
        if name not in spec.filters:
            raise ListError(
                "unknown_filter", _("You cannot filter on “%(name)s”.", name=name[:40]), name[:40]
            )
    sort_key = (sort or spec.default_sort).strip()
    descending = sort_key.startswith("-")
    chosen = spec.sorts.get(sort_key.lstrip("-"))
    if chosen is None:
        raise ListError("unknown_sort", _("You cannot sort on “%(name)s”.", name=sort_key[:40]), "sort")
    clean = {name: value.strip() for name, value in filters.items() if value and value.strip()}
    return ListRequest(chosen, descending, decode_cursor(cursor, chosen) if cursor else None, clean, sort_key)


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(token: str, sort: Sort) -> tuple[Any, ...]:
    """The sort key a cursor carries, each value checked against the sort's kinds.

    Raises:
        ListError: ``invalid_cursor`` for anything this code did not produce for this sort.
    """
    invalid = ListError(
        "invalid_cursor", _("This page link is no longer valid. Start from the first page."), "cursor"
    )
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid from None
    if not isinstance(values, list) or len(values) != len(sort.kinds):
        raise invalid
    decoded: list[Any] = []
    for value, kind in zip(values, sort.kinds, strict=True):
        plain_int = kind == "int" and isinstance(value, int) and not isinstance(value, bool)
        if plain_int or (kind == "text" and isinstance(value, str)):
            decoded.append(value)
        elif kind == "datetime" and isinstance(value, str):
            try:
                decoded.append(datetime.fromisoformat(value))
            except ValueError:
                raise invalid from None
        else:
            raise invalid
    return tuple(decoded)


def apply_keyset(sql: Sql, request: ListRequest) -> str:
    """Add the "after the cursor" condition; return the ORDER BY clause for the request's sort."""
    expressions = request.sort.expressions
    direction = "DESC" if request.descending else "ASC"
    if request.cursor is not None:
        placeholders = ", ".join(sql.bind(value) for value in request.cursor)
        sql.where(f"({', '.join(expressions)}) {'<' if request.descending else '>'} ({placeholders})")
    return "ORDER BY " + ", ".join(f"{expression} {direction}" for expression in expressions)


def sort_columns(sort: Sort) -> str:
    """Extra select-list entries carrying the sort key (``_s0``, ``_s1``, ...) for the next cursor."""
    return "".join(f", {expression} AS _s{index}" for index, expression in enumerate(sort.expressions))


def next_cursor(rows: Sequence[Mapping[str, Any]], limit: int, sort: Sort) -> str | None:
    """The cursor after the last shown row, or None when ``rows`` (fetched with ``limit + 1``) was the end."""
    if len(rows) <= limit:
        return None
    last = rows[limit - 1]
    return encode_cursor([last[f"_s{index}"] for index in range(len(sort.expressions))])
