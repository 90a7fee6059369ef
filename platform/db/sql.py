"""Raw SQL on the connection a Piccolo table is using right now: the tenant transaction's, else the pool's.

Inside ``tenant_context`` that is the pinned connection of the tenant transaction; outside one, a connection
from the table's engine's pool (benchmarks give a table a single-tenant engine). List and search queries use
this to reach asyncpg directly: native ``$n`` parameters, no query-builder overhead on hot paths.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
from piccolo.table import Table

_decode = msgspec.json.Decoder().decode  # several times faster than json.loads on list pages


def _transaction_connection(table: type[Table]) -> Any:
    engine: Any = table._meta.db
    transaction = engine.current_transaction.get()
    return engine, (transaction.connection if transaction is not None else None)


async def fetch(table: type[Table], sql: str, *args: Any) -> list[Any]:
    engine, connection = _transaction_connection(table)
    if connection is not None:
        return list(await connection.fetch(sql, *args))
    async with engine.pool.acquire() as pooled:
        return list(await pooled.fetch(sql, *args))


async def fetchrow(table: type[Table], sql: str, *args: Any) -> Any:
    rows = await fetch(table, sql, *args)
    return rows[0] if rows else None


async def fetchval(table: type[Table], sql: str, *args: Any) -> Any:
    row = await fetchrow(table, sql, *args)
    return None if row is None else row[0]


def loads(value: Any, default: Any) -> Any:
    """A JSONB column's value (asyncpg hands JSONB over as text unless a codec is set)."""
    if value is None:
        return default
    return _decode(value) if isinstance(value, str) else value


def dumps(value: Any) -> str:
    """A JSONB parameter (bind as ``$n::jsonb``)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
