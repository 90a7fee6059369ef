"""The process-wide Piccolo engine on asyncpg, bound to every table class at start-up."""

from __future__ import annotations

from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table


class Engine(PostgresEngine):
    """Piccolo's Postgres engine without the probe its constructor runs.

    ``PostgresEngine.__init__`` connects at once to ask the server's version, with whatever config it has. Ours are
    built before the URL is known (at import, with an empty config, which means libpq's defaults: a stray
    connection to localhost, or a warning on every start where nothing listens there), so the probe is skipped;
    the pool's first connection is where a wrong URL shows.
    """

    async def check_version(self) -> None:
        return None


# The app role's default search_path: an empty schema, so a query outside a tenant context fails.
EMPTY_SCHEMA = "sampark_empty"

# One engine object for the process. Table classes are bound to it when the schema loads, so DDL can be
# generated before any connection exists; its pool starts in ``sampark.platform.database.open_engine``.
ENGINE = Engine(config={})
_open = False

# Platform tables that every placement database holds (written in the tenant's own transaction); all other
# ``public`` tables live in the home database only.
PLACEMENT_TABLES = frozenset({"outbox", "reminder_queue"})


class _HomeTransactionView:
    """The current transaction as home-only tables see it: the open one when it is on the home database, else
    none, so their queries run on a home pool connection instead of a placement database's transaction."""

    def get(self) -> Any:
        transaction = ENGINE.current_transaction.get()
        if transaction is None or transaction.engine.pool is ENGINE.pool:
            return transaction
        return None

    def set(self, value: Any) -> Any:
        return ENGINE.current_transaction.set(value)

    def reset(self, token: Any) -> None:
        ENGINE.current_transaction.reset(token)


class HomeEngine(Engine):
    """The engine of the home-only platform tables (users, memberships, the registry, ...): the home pool, and
    the current transaction only when that runs on the home database (see ``platform/db/placements.py``)."""

    def __init__(self) -> None:
        super().__init__(config={})
        self.current_transaction = _HomeTransactionView()  # type: ignore[assignment]

    @property
    def pool(self) -> Any:
        return ENGINE.pool

    @pool.setter
    def pool(self, value: Any) -> None:  # Piccolo's __init__ assigns None; the home pool is ENGINE's
        pass

    @property
    def config(self) -> dict[str, Any]:
        return ENGINE.config

    @config.setter
    def config(self, value: dict[str, Any]) -> None:
        pass


HOME_ENGINE = HomeEngine()


def engine_config(database_url: str) -> dict[str, Any]:
    """asyncpg connection options: the URL and a fixed search_path (what ``asyncpg.connect`` accepts)."""
    return {
        "dsn": database_url,
        "server_settings": {"search_path": EMPTY_SCHEMA, "application_name": "sampark"},
    }


def pool_options(pool_size: int = 10) -> dict[str, Any]:
    """asyncpg pool options, given to ``start_connection_pool`` and kept out of the engine's config, which
    Piccolo also hands to ``asyncpg.connect``.

    Each tenant a connection touches costs it catalog cache, so connections are recycled after a number of
    queries and after idling.
    """
    return {
        "min_size": 1,
        "max_size": pool_size,
        "max_queries": 20_000,
        "max_inactive_connection_lifetime": 120.0,
    }


def _all_tables(root: type[Table] = Table) -> list[type[Table]]:
    found: list[type[Table]] = []
    for subclass in root.__subclasses__():
        found.append(subclass)
        found.extend(_all_tables(subclass))
    return found


def bind_tables(engine: PostgresEngine) -> None:
    """Point every imported Piccolo table class at ``engine``; home-only platform tables at its home view."""
    home = HOME_ENGINE if engine is ENGINE else engine
    for table in _all_tables():
        home_only = table._meta.schema == "public" and table._meta.tablename not in PLACEMENT_TABLES
        table._meta.db = home if home_only else engine


def engine_is_open() -> bool:
    return _open


def mark_open(is_open: bool) -> None:
    """Record that ``sampark.platform.database`` started (or closed) the pools."""
    global _open
    _open = is_open


def get_engine() -> PostgresEngine:
    """Return the open engine.

    Raises:
        RuntimeError: when no engine was opened in this process.
    """
    if not _open:
        raise RuntimeError("the database engine is not open: call open_engine() at start-up")
    return ENGINE
