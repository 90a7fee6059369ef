"""Provisioning benchmark: how long one tenant takes to create, and how much catalog each tenant adds.

    .venv/bin/python bench/provision.py --tenants 200

Uses an embedded PostgreSQL in a temporary directory, or, when SAMPARK_DATABASE_URL is set, a scratch database
created on that server (and dropped afterwards; the role needs CREATEDB). Prints ``name: value unit`` lines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import asyncpg

from sampark.platform.config.settings import Settings
from sampark.platform.database import close_engine, open_engine
from sampark.platform.db.engine import get_engine
from sampark.platform.embedded.services import EmbeddedPostgres
from sampark.platform.tenancy.migrations import migrate_platform
from sampark.platform.tenancy.provisioning import NewTenant, drop_tenant, list_tenants, provision_tenant

# Every catalog table with its indexes and TOAST; relkind 'r' only, so nothing is counted twice.
CATALOG_BYTES = """
SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'
"""


def report(name: str, value: float | int, unit: str = "", digits: int = 2) -> None:
    text = f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    print(f"{name}: {text} {unit}".rstrip(), flush=True)


@contextmanager
def bench_database() -> Iterator[tuple[str, Path]]:
    """Yield (database URL, data directory) for a database nobody else uses, and remove it afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix="sk-bench-", dir="/tmp"))
    external = os.environ.get("SAMPARK_DATABASE_URL")
    try:
        if external:
            name = f"sampark_bench_{secrets.token_hex(4)}"
            asyncio.run(_admin(external, f'CREATE DATABASE "{name}"'))
            try:
                yield urlunparse(urlparse(external)._replace(path=f"/{name}")), data_dir
            finally:
                asyncio.run(_admin(external, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            postgres = EmbeddedPostgres(data_dir / "postgres")
            try:
                yield postgres.start(), data_dir
            finally:
                postgres.stop()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


async def _admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def open_bench_engine(url: str, data_dir: Path) -> None:
    await open_engine(Settings.from_env(environ={}, data_dir=data_dir, database_url=url))
    await migrate_platform()


async def close_bench_engine(*, drop_tenants: bool) -> None:
    """Drop the tenants first on an external server: their roles are cluster-wide and outlive the database."""
    if drop_tenants:
        for tenant in await list_tenants():
            await drop_tenant(tenant.slug)
    await close_engine()


async def _fetchval(query: str) -> int:
    async with get_engine().transaction() as transaction:
        return int(await transaction.connection.fetchval(query) or 0)


async def provision_many(count: int, prefix: str = "bench") -> list[float]:
    """Provision ``count`` tenants one after another; return each one's duration in milliseconds."""
    timings = []
    for number in range(count):
        started = time.perf_counter()
        await provision_tenant(NewTenant(slug=f"{prefix}-{number:05d}", name=f"Bench {number}", region="EU"))
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def run(url: str, data_dir: Path, tenants: int) -> None:
    await open_bench_engine(url, data_dir)
    try:
        await provision_many(3, prefix="warmup")  # first-use costs (plans, catalog caches) are not the point
        catalog_before = await _fetchval(CATALOG_BYTES)
        database_before = await _fetchval("SELECT pg_database_size(current_database())")
        timings = await provision_many(tenants)
        catalog_after = await _fetchval(CATALOG_BYTES)
        database_after = await _fetchval("SELECT pg_database_size(current_database())")
    finally:
        await close_bench_engine(drop_tenants=bool(os.environ.get("SAMPARK_DATABASE_URL")))
    percentiles = statistics.quantiles(timings, n=100, method="inclusive")
    report("tenants", tenants)
    report("provision_ms_p50", percentiles[49], "ms")
    report("provision_ms_p95", percentiles[94], "ms")
    report("provision_ms_max", max(timings), "ms")
    report("catalog_kib_per_tenant", (catalog_after - catalog_before) / 1024 / tenants, "KiB")
    report("database_kib_per_tenant", (database_after - database_before) / 1024 / tenants, "KiB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--tenants", type=int, default=200, help="tenants to provision (default: %(default)s)"
    )
    args = parser.parse_args()
    with bench_database() as (url, data_dir):
        asyncio.run(run(url, data_dir, args.tenants))


if __name__ == "__main__":
    main()
