"""``sampark tenants`` and ``sampark migrate`` run as real processes against the test database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.db.engine import get_engine
from sampark.platform.tenancy.context import TenantNotFound, tenant_context
from sampark.platform.tenancy.provisioning import drop_tenant, get_tenant
from sampark.platform.tenancy.schema import load_tenant_schema
from sampark.platform.tenancy.tables import TenantStatus
from tests.conftest import unique_slug


def sampark(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI with the session's environment (it names the test database)."""
    return subprocess.run(
        [sys.executable, "-m", "sampark.platform.cli", *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _audit_actions(tenant_id: int) -> list[tuple[str, str]]:
    rows = (
        await OperatorAudit.select(OperatorAudit.action, OperatorAudit.actor)
        .where(OperatorAudit.tenant_id == tenant_id)
        .order_by(OperatorAudit.id)
    )
    return [(row["action"], row["actor"]) for row in rows]


async def test_tenant_lifecycle_through_the_cli(database) -> None:
    slug = unique_slug("cli")
    created = sampark(
        "tenants", "create", "--slug", slug, "--name", "Łódź Trading", "--region", "EU", "--placement", "eu"
    )
    assert created.returncode == 0, created.stderr
    tenant = await get_tenant(slug)
    try:
        assert tenant is not None
        assert (tenant.name, tenant.region, tenant.placement) == ("Łódź Trading", "EU", "eu")
        assert tenant.schema_version == load_tenant_schema().version

        listing = sampark("tenants", "list")
        assert listing.returncode == 0, listing.stderr
        header, *rows = listing.stdout.splitlines()
        assert header.split() == [
            "id",
            "slug",
            "name",
            "region",
            "placement",
            "database",
            "status",
            "schema_version",
        ]
        assert any(
            row.split()[:2] == [str(tenant.id), slug] and row.split()[-4:-2] == ["eu", "home"] for row in rows
        )

        taken = sampark("tenants", "create", "--slug", slug, "--name", "Copy", "--region", "EU")
        assert taken.returncode == 2
        assert "taken" in taken.stderr
        assert "Traceback" not in taken.stderr

        assert sampark("tenants", "suspend", slug).returncode == 0
        assert (await get_tenant(slug)).status == TenantStatus.SUSPENDED
        with pytest.raises(TenantNotFound):
            async with tenant_context(slug=slug):
                pass
        assert sampark("tenants", "resume", slug).returncode == 0
        async with tenant_context(slug=slug):
            pass

        refused = sampark("tenants", "drop", slug)
        assert refused.returncode == 2
        assert "--yes" in refused.stderr
        assert await get_tenant(slug) is not None

        dropped = sampark("tenants", "drop", slug, "--yes")
        assert dropped.returncode == 0, dropped.stderr
        assert await get_tenant(slug) is None
        async with get_engine().transaction() as transaction:
            assert not await transaction.connection.fetchval(
                "SELECT count(*) FROM pg_namespace WHERE nspname = $1", tenant.schema_name
            )
        actions = await _audit_actions(tenant.id)
        assert [action for action, _ in actions] == [
            "tenant.create",
            "tenant.suspend",
            "tenant.resume",
            "tenant.drop",
        ]
        assert all(actor.startswith("cli:") and len(actor) > 4 for _, actor in actions)
    finally:
        await drop_tenant(slug)


@pytest.mark.parametrize(
    "args",
    [
        ["tenants", "create", "--slug", "Bad_Slug", "--name", "X", "--region", "EU"],
        ["tenants", "suspend", "no-such-tenant"],
        ["tenants", "drop", "no-such-tenant", "--yes"],
    ],
)
async def test_clear_errors_exit_2(database, args: list[str]) -> None:
    result = sampark(*args)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("sampark: ")
    assert "Traceback" not in result.stderr


async def test_migrate_reports_each_failed_tenant_and_exits_1(make_tenant) -> None:
    ok = sampark("migrate")
    assert ok.returncode == 0, ok.stderr
    assert "0 failed" in ok.stdout

    tenant = await make_tenant()
    version = tenant.schema_version
    moved = f"{tenant.schema_name}_moved"
    async with get_engine().transaction() as transaction:
        # The tenant missed the last step and its tables are not where the registry says: the step fails
        # (steps are idempotent, so replaying one onto intact tables would succeed).
        await transaction.connection.execute(
            "UPDATE public.tenants SET schema_version = $2 WHERE id = $1", tenant.id, version - 1
        )
        await transaction.connection.execute(f'ALTER SCHEMA "{tenant.schema_name}" RENAME TO "{moved}"')
    try:
        failed = sampark("migrate")
        assert failed.returncode == 1
        line = next(line for line in failed.stdout.splitlines() if tenant.slug in line)
        assert line.startswith("failed")
        assert "Error" in line
        assert "1 failed" in failed.stdout
        assert (await get_tenant(tenant.slug)).schema_version == version - 1
    finally:
        async with get_engine().transaction() as transaction:
            await transaction.connection.execute(f'ALTER SCHEMA "{moved}" RENAME TO "{tenant.schema_name}"')
    # Once the cause is fixed, a re-run resumes the tenant where it stopped, and the next run has nothing to do.
    again = sampark("migrate")
    assert again.returncode == 0, again.stdout + again.stderr
    resumed = next(line for line in again.stdout.splitlines() if tenant.slug in line)
    assert resumed.startswith("ok") and f"{version - 1} -> {version}" in resumed
    assert (await get_tenant(tenant.slug)).schema_version == version
    assert tenant.slug not in sampark("migrate").stdout
