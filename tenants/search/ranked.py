"""One ranked full-text query for every searchable object, bounded so it stays fast at a million rows.

Ranking every match is what makes a short prefix slow on a big table: "ana" matches tens of thousands of
contacts in a million, and ``ts_rank`` over all of them reads most of the table. So the search takes at most
``CANDIDATES`` matching rows straight from the GIN index and ranks only those; a prefix that common is refined by
typing more, which the results page says. Two things keep the candidate step on the index:

- The planner's estimate for a prefix tsquery is a fixed guess, and with a LIMIT it often prefers a sequential
  scan that stops early, which for a rare word means reading the whole table. The query therefore runs with
  ``enable_seqscan`` off (``SET LOCAL`` inside :func:`index_scans`, reset when the search is done: one round
  trip each for a whole search, not per object).
- Search documents hold no whole e-mail addresses, only their parts (see the objects' ``*_SEARCH_VECTOR``):
  a prefix then expands to few index entries instead of one per address.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from piccolo.table import Table

from sampark.platform.db.sql import fetch
from sampark.tenants.search.listing import Sql

__all__ = ["CANDIDATES", "RankedSearch", "index_scans", "ranked_rows"]

#: How many matches are ranked at most, per object.
CANDIDATES = 200


@dataclass(frozen=True)
class RankedSearch:
    """How one object is searched.

    Attributes:
        table: its Piccolo table (for the connection).
        alias: the SQL alias the other parts use (``c`` for contacts).
        columns: the select list, over ``alias`` and the joins.
        scope: adds the principal's visibility conditions to ``sql`` (raises PermissionDenied when it may not
            view the object at all).
        joins: the joins the columns need, given ``sql`` for their parameters ("" for none).
        tiebreak: the ORDER BY terms after the rank, ending in a unique column.
    """

    table: type[Table]
    alias: str
    columns: str
    scope: Callable[[Sql], None]
    tiebreak: str
    joins: Callable[[Sql], str] = lambda sql: ""

    @property
    def source(self) -> str:
        return f"{self.table._meta.tablename} {self.alias}"


async def ranked_rows(search: RankedSearch, query: str, limit: int) -> list[Any]:
    """Rows matching the tsquery ``query``, best ranked first, among the first ``CANDIDATES`` matches. Call it
    inside :func:`index_scans`.

    Raises:
        PermissionDenied: the principal may not view this object.
    """
    a = search.alias
    sql = Sql()
    search.scope(sql)
    bound = sql.bind(query)
    sql.where(f"{a}.search_vector @@ to_tsquery('simple', {bound})")
    hits = f"SELECT {a}.id FROM {search.source} {sql.where_sql()} LIMIT {CANDIDATES}"
    statement = (
        f"WITH hits AS MATERIALIZED ({hits})"
        f" SELECT {search.columns} FROM hits JOIN {search.source} ON {a}.id = hits.id {search.joins(sql)}"
        f" ORDER BY ts_rank({a}.search_vector, to_tsquery('simple', {bound})) DESC, {search.tiebreak}"
        f" LIMIT {sql.bind(limit)}"
    )
    return await fetch(search.table, statement, *sql.params)


@asynccontextmanager
async def index_scans(table: type[Table]) -> AsyncIterator[None]:
    """Run the block's queries (on ``table``'s connection) with sequential scans off; see the module docstring."""
    await fetch(table, "SET LOCAL enable_seqscan = off")
    yield
    # Should a query fail, the transaction is aborted and rolling it back undoes the SET LOCAL as well.
    await fetch(table, "RESET enable_seqscan")
