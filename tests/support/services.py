"""One real PostgreSQL and Redis per test session: embedded by default, external when the URLs are set."""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import asyncpg

from sampark.platform.config.settings import Settings
from sampark.platform.embedded.services import EmbeddedServices


def _with_database(url: str, name: str) -> str:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path=f"/{name}"))


async def _create_database(url: str, name: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop_database(url: str, name: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        # Tenant roles are cluster-wide; drop the ones this run's database made.
        for row in await connection.fetch("SELECT rolname FROM pg_roles WHERE rolname LIKE 'sampark\\_t%'"):
            owned = await connection.fetchval(
                "SELECT count(*) FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid WHERE r.rolname = $1",
                row["rolname"],
            )
            if not owned:
                await connection.execute(f'DROP ROLE IF EXISTS "{row["rolname"]}"')
    finally:
        await connection.close()


@contextmanager
def test_services() -> Iterator[Settings]:
    """Start (or connect to) PostgreSQL, Redis and a mail sink; export their URLs for child processes."""
    data_dir = Path(tempfile.mkdtemp(prefix="sampark-test-", dir="/tmp"))
    external_db = os.environ.get("SAMPARK_DATABASE_URL")
    database_name = f"sampark_test_{secrets.token_hex(4)}"
    base = Settings.from_env(data_dir=data_dir, smtp_url=None)
    if external_db:
        asyncio.run(_create_database(external_db, database_name))
        base = base.with_overrides(database_url=_with_database(external_db, database_name))
    services = EmbeddedServices(base)
    settings = services.start()
    saved = dict(os.environ)
    os.environ.update(services.export(settings))
    try:
        yield settings
    finally:
        os.environ.clear()
        os.environ.update(saved)
        services.stop()
        if external_db:
            asyncio.run(_drop_database(external_db, database_name))
