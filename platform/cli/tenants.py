"""``sampark tenants``: create, list, suspend, resume and drop tenants; every change is operator-audited."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.cli.common import EXIT_OK, CommandError, database, load_settings, operator_actor
from sampark.platform.db.engine import get_engine
from sampark.platform.db.placements import database_for
from sampark.platform.i18n import gettext as _
from sampark.platform.regions.presets import get_preset
from sampark.platform.tenancy.context import TenantRecord
from sampark.platform.tenancy.provisioning import (
    NewTenant,
    ProvisioningError,
    drop_tenant,
    get_tenant,
    list_tenants,
    provision_tenant,
    set_status,
)
from sampark.platform.tenancy.tables import TenantStatus

LIST_COLUMNS = ("id", "slug", "name", "region", "placement", "database", "status", "schema_version")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("tenants", help=_("Create, list, suspend, resume and drop tenants."))
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    create = actions.add_parser("create", help=_("Provision a tenant: registry row, schema and role."))
    create.add_argument("--slug", required=True, help=_("URL name, e.g. acme (lower case, digits, hyphens)."))
    create.add_argument("--name", required=True, help=_("Company name shown to users."))
    create.add_argument("--region", required=True, help=_("Region preset, e.g. EU, UK, US-CA, IN."))
    create.add_argument(
        "--placement", default=None, help=_("Database placement (default: the region's residency).")
    )
    create.set_defaults(handler=_handler(_create))

    listing = actions.add_parser("list", help=_("Show every tenant."))
    listing.set_defaults(handler=_handler(_list))

    for action, helptext in (
        ("suspend", _("Refuse every request to a tenant.")),
        ("resume", _("Undo suspend.")),
    ):
        sub = actions.add_parser(action, help=helptext)
        sub.add_argument("slug", metavar="SLUG")
        sub.set_defaults(handler=_handler(_suspend if action == "suspend" else _resume))

    drop = actions.add_parser("drop", help=_("Delete a tenant's schema, role and registry row for good."))
    drop.add_argument("slug", metavar="SLUG")
    drop.add_argument(
        "--yes", action="store_true", help=_("Confirm that the tenant's data is to be deleted.")
    )
    drop.set_defaults(handler=_handler(_drop), needs_confirmation=True)


def _handler(action: Callable[[argparse.Namespace], Awaitable[str]]) -> Callable[[argparse.Namespace], int]:
    """Wrap an async action: confirm if needed, open the database, print its output, map errors to exit 2."""

    def run(args: argparse.Namespace) -> int:
        if getattr(args, "needs_confirmation", False) and not args.yes:
            raise CommandError(_("refusing to drop tenant %(slug)s without --yes", slug=args.slug))
        settings = load_settings()

        async def with_database() -> str:
            async with database(settings):
                return await action(args)

        try:
            print(asyncio.run(with_database()))
        except ProvisioningError as error:
            raise CommandError(str(error)) from None
        except asyncpg.UndefinedTableError:
            raise CommandError(_("the platform schema is missing: run `sampark migrate` first")) from None
        except asyncpg.DataError as error:
            raise CommandError(str(error)) from None
        return EXIT_OK

    return run


async def _audit(action: str, tenant_id: int | None, details: dict[str, Any]) -> None:
    """Record an operator action inside the caller's transaction."""
    await OperatorAudit.insert(
        OperatorAudit(actor=operator_actor(), action=action, tenant_id=tenant_id, details=details)
    )


async def _create(args: argparse.Namespace) -> str:
    placement = args.placement or get_preset(args.region).residency
    new = NewTenant(slug=args.slug, name=args.name, region=args.region, placement=placement)
    async with get_engine().transaction() as transaction:
        tenant = await provision_tenant(new, connection=transaction.connection)
        await _audit(
            "tenant.create",
            tenant.id,
            {
                "slug": tenant.slug,
                "name": tenant.name,
                "region": tenant.region,
                "placement": tenant.placement,
            },
        )
    return _(
        "created tenant %(slug)s (#%(id)s), schema %(schema)s at version %(version)s",
        slug=tenant.slug,
        id=tenant.id,
        schema=tenant.schema_name,
        version=tenant.schema_version,
    )


async def _list(_args: argparse.Namespace) -> str:
    tenants = await list_tenants()
    if not tenants:
        return _("no tenants")
    rows = [
        [
            database_for(tenant.placement).name if column == "database" else getattr(tenant, column)
            for column in LIST_COLUMNS
        ]
        for tenant in tenants
    ]
    return format_table(LIST_COLUMNS, rows)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Plain aligned columns, readable in a terminal and easy to cut with awk."""
    cells = [[str(header) for header in headers], *[[str(value) for value in row] for row in rows]]
    widths = [max(len(row[index]) for row in cells) for index in range(len(headers))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    )


async def _change_status(slug: str, status: str, action: str) -> TenantRecord:
    async with get_engine().transaction():
        before = await get_tenant(slug)
        if before is None:
            raise CommandError(_("no tenant with slug %(slug)s", slug=slug))
        tenant = await set_status(slug, status)
        assert tenant is not None
        await _audit(action, tenant.id, {"slug": slug, "from": before.status, "to": status})
    return tenant


async def _suspend(args: argparse.Namespace) -> str:
    tenant = await _change_status(args.slug, TenantStatus.SUSPENDED, "tenant.suspend")
    return _("suspended tenant %(slug)s (#%(id)s)", slug=tenant.slug, id=tenant.id)


async def _resume(args: argparse.Namespace) -> str:
    tenant = await _change_status(args.slug, TenantStatus.ACTIVE, "tenant.resume")
    return _("resumed tenant %(slug)s (#%(id)s)", slug=tenant.slug, id=tenant.id)


async def _drop(args: argparse.Namespace) -> str:
    # One transaction: drop_tenant joins it, so the audit row and the drop commit or fail together.
    async with get_engine().transaction():
        tenant = await get_tenant(args.slug)
        if tenant is None or not await drop_tenant(args.slug):
            raise CommandError(_("no tenant with slug %(slug)s", slug=args.slug))
        await _audit("tenant.drop", tenant.id, {"slug": tenant.slug, "schema": tenant.schema_name})
    return _("dropped tenant %(slug)s (#%(id)s) and its schema", slug=tenant.slug, id=tenant.id)
