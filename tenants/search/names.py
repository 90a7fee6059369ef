"""Contacts whose first or last name starts with what was typed, in name order, straight from two B-tree indexes.

The common search is a few letters of a name. Full-text search answers it too, but a short prefix matches tens of
thousands of contacts in a million and the GIN index must collect them all before any can be returned; a B-tree
range over ``lower(first_name) COLLATE "C"`` (and one over the last name) returns the first matches in name order
and stops. So the global search asks here first and falls back to ranked full-text search (e-mails, phones,
names matched in the middle) only when this finds fewer than it needs.

The range ``[prefix, prefix with its last character incremented)`` is the prefix match in byte order, which is
what the "C" collation sorts by; written as a range rather than ``LIKE``, it stays indexable in a generic plan.
The indexes are ``contacts_first_prefix`` and ``contacts_last_prefix`` (tenants/contacts/tables.py).
"""

from __future__ import annotations

from typing import Any

from sampark.platform.db.sql import fetch
from sampark.tenants.contacts import queries as contacts
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.search.listing import Sql

__all__ = ["name_prefix_rows"]

_FIRST = 'lower(c.first_name) COLLATE "C"'
_LAST = 'lower(c.last_name) COLLATE "C"'


def _upper_bound(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _range(sql: Sql, column: str, prefix: str) -> str:
    return f"{column} >= {sql.bind(prefix)} AND {column} < {sql.bind(_upper_bound(prefix))}"


async def name_prefix_rows(words: list[str], limit: int) -> list[Any]:
    """Up to ``limit`` visible contacts named like ``words`` (lower-cased): one word starts the first or the last
    name; two words start the first and the last name, in either order. Sorted by name.

    Raises:
        PermissionDenied: the principal may not view contacts.
    """
    if not words or len(words) > 2 or any(ord(word[-1]) >= 0x10FFFF for word in words):
        return []
    orders = [(_FIRST, _LAST), (_LAST, _FIRST)]
    parts = []
    sql = Sql()
    join = contacts.company_join(sql)
    for leading, trailing in orders:
        branch = Sql(params=sql.params)  # one parameter list for the whole statement
        contacts.scope(branch)
        branch.where(_range(branch, leading, words[0]))
        if len(words) == 2:
            branch.where(_range(branch, trailing, words[1]))
        parts.append(
            f"(SELECT {contacts.COLUMNS}, {leading} AS sort1, {trailing} AS sort2 FROM contacts c {join}"
            f" {branch.where_sql()} ORDER BY {leading}, {trailing}, c.id LIMIT {branch.bind(limit)})"
        )
    statement = f"{' UNION ALL '.join(parts)} ORDER BY sort1, sort2, id"
    # "Lee Lee" is found by both branches: keep its first place only.
    seen: set[int] = set()
    rows = []
    for row in await fetch(Contact, statement, *sql.params):
        if row["id"] not in seen:
            seen.add(row["id"])
            rows.append(row)
    return rows[:limit]
