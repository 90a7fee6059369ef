"""Placement databases: one connection pool per database server that holds tenants (data residency).

``SAMPARK_REGION_DATABASES`` maps placements (``eu``, ``in``, ...) to PostgreSQL URLs; every other placement
lives in the home database (``SAMPARK_DATABASE_URL``), which also keeps the platform tables. Each further
database gets its own :class:`PostgresEngine` that shares the home engine's ``current_transaction`` context
variable: a transaction opened on a placement's engine becomes *the* current transaction for every Piccolo table
and for raw SQL through ``tenants/search/db.py``, so tenant code runs on the right server without knowing it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from piccolo.engine.postgres import PostgresEngine, PostgresTransaction

from sampark.platform.config.settings import Settings
from sampark.platform.db.engine import ENGINE, Engine, engine_config, pool_options

HOME = "home"


@dataclass(frozen=True)
class PlacementDatabase:
    """One database server (a pool) and the placements it serves; ``name`` is ``home`` or its first placement."""

    name: str
    engine: PostgresEngine
    placements: tuple[str, ...]

    @property
    def is_home(self) -> bool:
        return self.name == HOME


_by_placement: dict[str, PlacementDatabase] = {}
_databases: list[PlacementDatabase] = []


def _home() -> PlacementDatabase:
    return PlacementDatabase(HOME, ENGINE, ())


def configure(settings: Settings) -> list[PlacementDatabase]:
    """Build (not start) one engine per distinct placement URL; a URL equal to the home one means home."""
    grouped: dict[str, list[str]] = {}
    for placement, url in settings.region_databases:
        if url != settings.database_url:
            grouped.setdefault(url, []).append(placement)
    _databases[:] = [_home()]
    _by_placement.clear()
    for url, placements in grouped.items():
        engine = Engine(config=engine_config(url))
        # The shared context variable is the whole routing trick: see the module docstring.
        engine.current_transaction = ENGINE.current_transaction
        database = PlacementDatabase(placements[0], engine, tuple(placements))
        _databases.append(database)
        _by_placement.update(dict.fromkeys(placements, database))
    return list(_databases)


async def open_placements(settings: Settings) -> None:
    """Start the pool of every placement database but home (which ``open_engine`` starts)."""
    for database in configure(settings)[1:]:
        await database.engine.start_connection_pool(**pool_options(settings.db_pool_size))


async def close_placements() -> None:
    for database in _databases[1:]:
        if database.engine.pool is not None:
            await database.engine.close_connection_pool()
    _by_placement.clear()
    _databases[:] = [_home()]


def database_for(placement: str) -> PlacementDatabase:
    """The database that holds ``placement``'s tenants (home for any placement not configured)."""
    return _by_placement.get(placement) or (_databases[0] if _databases else _home())


def is_remote(placement: str) -> bool:
    return placement in _by_placement


def has_remote_placements() -> bool:
    return bool(_by_placement)


def all_databases() -> list[PlacementDatabase]:
    """Home first, then every other placement database."""
    return list(_databases) if _databases else [_home()]


def on_home(transaction: PostgresTransaction | None) -> bool:
    """Whether an open transaction runs on the home database."""
    return transaction is not None and transaction.engine.pool is ENGINE.pool


@asynccontextmanager
async def transaction_on(engine: PostgresEngine) -> AsyncIterator[PostgresTransaction]:
    """A transaction on ``engine``: joins the current one when it is on the same database, else opens its own.

    A transaction on another database is set aside (not joined, not committed) until this one ends: the two
    commit independently, so callers that nest must not need them to be atomic together.
    """
    shared = ENGINE.current_transaction
    current: Any = shared.get()
    if current is None or current.engine.pool is engine.pool:
        async with engine.transaction() as transaction:
            yield transaction
        return
    token = shared.set(None)
    try:
        async with engine.transaction() as transaction:
            yield transaction
    finally:
        shared.reset(token)
