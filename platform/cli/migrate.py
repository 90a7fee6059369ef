"""``sampark migrate``: the platform schema, then every tenant that is behind, with a line per tenant."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TextIO

from sampark.platform.cli.common import EXIT_FAILED, EXIT_OK, database, load_settings, positive_int
from sampark.platform.config.settings import Settings
from sampark.platform.i18n import gettext as _
from sampark.platform.tenancy.migrations import MigrationReport, TenantResult, migrate_all


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "migrate", help=_("Migrate the platform schema and every tenant schema that is behind.")
    )
    parser.add_argument(
        "--concurrency",
        type=positive_int,
        default=None,
        help=_("Tenants migrated at once (SAMPARK_MIGRATE_CONCURRENCY)."),
    )
    parser.add_argument(
        "--lock-timeout-ms",
        type=positive_int,
        default=None,
        help=_("Give up on a tenant whose tables stay locked this long (SAMPARK_MIGRATE_LOCK_TIMEOUT_MS)."),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(
        migrate_concurrency=args.concurrency, migrate_lock_timeout_ms=args.lock_timeout_ms
    )
    report = asyncio.run(_migrate(settings))
    return EXIT_FAILED if report.failed else EXIT_OK


async def _migrate(settings: Settings) -> MigrationReport:
    async with database(settings):
        return await run_migrations(settings)


async def run_migrations(settings: Settings, out: TextIO | None = None) -> MigrationReport:
    """Run ``migrate_all`` with the settings' limits, printing each tenant as it finishes and a summary."""
    out = out or sys.stdout
    report = await migrate_all(
        concurrency=settings.migrate_concurrency,
        lock_timeout_ms=settings.migrate_lock_timeout_ms,
        on_result=lambda result: print(format_result(result), file=out, flush=True),
    )
    print(format_summary(report), file=out, flush=True)
    return report


def format_result(result: TenantResult) -> str:
    if result.ok:
        return _(
            "ok      %(slug)s (#%(id)s) %(before)s -> %(after)s",
            slug=result.slug,
            id=result.tenant_id,
            before=result.from_version,
            after=result.to_version,
        )
    return _(
        "failed  %(slug)s (#%(id)s) stays at %(version)s: %(error)s",
        slug=result.slug,
        id=result.tenant_id,
        version=result.to_version,
        error=result.error,
    )


def format_summary(report: MigrationReport) -> str:
    failed = len(report.failed)
    return _(
        "platform %(before)s -> %(after)s; tenants: %(ok)s migrated, %(failed)s failed,"
        " target version %(target)s (%(seconds).1f s)",
        before=report.platform_from,
        after=report.platform_to,
        ok=len(report.tenants) - failed,
        failed=failed,
        target=report.target_version,
        seconds=report.seconds,
    )
