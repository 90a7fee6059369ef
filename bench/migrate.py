"""Migration fan-out benchmark: one additive step over N tenants, then a run with nothing to do.

    .venv/bin/python bench/migrate.py --tenants 1000 [--concurrency 8]

Provisions N tenants, adds a test step (``ALTER TABLE contacts ADD COLUMN IF NOT EXISTS ...``) on top of the real
tenant schema and times ``migrate_tenants``. Tenants that fail are counted and retried until none is behind
(``migrate_retry_s``), so ``migrate_noop_s`` always measures a run with nothing to apply. Same database choice
as ``provision.py``. Prints ``name: value unit`` lines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections import Counter
from pathlib import Path

from provision import bench_database, close_bench_engine, open_bench_engine, provision_many, report

from sampark.platform.config.settings import Settings
from sampark.platform.db.steps import SchemaStep
from sampark.platform.tenancy.migrations import TenantResult, migrate_tenants, tenants_behind
from sampark.platform.tenancy.schema import TenantSchema, load_tenant_schema

MAX_RETRY_RUNS = 20


def schema_with_extra_step() -> TenantSchema:
    real = load_tenant_schema()
    step = SchemaStep(
        version=real.version + 1,
        name="bench_note",
        statements=(
            "ALTER TABLE contacts ADD COLUMN IF NOT EXISTS bench_note VARCHAR(100) NOT NULL DEFAULT ''",
        ),
    )
    return TenantSchema(tables=real.tables, steps=(*real.steps, step), append_only=real.append_only)


async def timed_migration(schema: TenantSchema, concurrency: int) -> tuple[float, list[TenantResult]]:
    started = time.perf_counter()
    results = await migrate_tenants(concurrency=concurrency, lock_timeout_ms=5000, schema=schema)
    return time.perf_counter() - started, results


async def run(url: str, data_dir: Path, tenants: int, concurrency: int) -> None:
    await open_bench_engine(url, data_dir)
    try:
        started = time.perf_counter()
        await provision_many(tenants)
        provision_s = time.perf_counter() - started
        schema = schema_with_extra_step()

        migrate_s, results = await timed_migration(schema, concurrency)
        failed = [result for result in results if not result.ok]
        errors = Counter((result.error or "").split(":")[0] for result in failed)

        retry_s, retry_runs = 0.0, 0
        while await tenants_behind(schema.version) and retry_runs < MAX_RETRY_RUNS:
            seconds, _ = await timed_migration(schema, concurrency)
            retry_s, retry_runs = retry_s + seconds, retry_runs + 1
        still_behind = len(await tenants_behind(schema.version))

        noop_s, noop_results = await timed_migration(schema, concurrency)
    finally:
        await close_bench_engine(drop_tenants=bool(os.environ.get("SAMPARK_DATABASE_URL")))
    report("tenants", tenants)
    report("concurrency", concurrency)
    report("provision_s", provision_s, "s")
    report("migrate_s", migrate_s, "s")
    report("migrate_ms_per_tenant", migrate_s * 1000 / tenants, "ms")
    report("failed", len(failed))
    for error, count in sorted(errors.items()):
        report(f"failed_with[{error}]", count)
    report("migrate_retry_runs", retry_runs)
    report("migrate_retry_s", retry_s, "s")
    report("still_behind", still_behind)
    report("migrate_noop_s", noop_s, "s", digits=4)
    report("migrate_noop_tenants", len(noop_results))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tenants", type=int, default=1000, help="tenants to migrate (default: %(default)s)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=Settings.migrate_concurrency,
        help="tenants migrated at once (default: SAMPARK_MIGRATE_CONCURRENCY's default, %(default)s)",
    )
    args = parser.parse_args()
    with bench_database() as (url, data_dir):
        asyncio.run(run(url, data_dir, args.tenants, args.concurrency))


if __name__ == "__main__":
    main()
