"""A second database on the test server, serving the EU placement for the tests of this package."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from sampark.platform.config.settings import Settings
from sampark.platform.db.placements import close_placements, open_placements
from sampark.platform.tenancy.migrations import migrate_placements
from sampark.platform.tenancy.provisioning import NewTenant, drop_tenant, provision_tenant
from tests.conftest import unique_slug
from tests.support.services import _create_database, _drop_database, _with_database


@pytest.fixture(scope="module")
async def eu_database(database: Settings) -> AsyncIterator[str]:
    """The EU placement's database URL; placements are reset to home-only afterwards."""
    assert database.database_url
    name = f"sampark_eu_{secrets.token_hex(4)}"
    await _create_database(database.database_url, name)
    url = _with_database(database.database_url, name)
    await open_placements(database.with_overrides(region_databases=(("eu", url),)))
    await migrate_placements()
    yield url
    await close_placements()
    await _drop_database(database.database_url, name)


@pytest.fixture
async def direct(database: Settings, eu_database: str) -> AsyncIterator[dict[str, asyncpg.Connection]]:
    """Plain connections to both databases, for reading what landed where (as the superuser, no tenancy)."""
    assert database.database_url
    connections = {
        "home": await asyncpg.connect(database.database_url),
        "eu": await asyncpg.connect(eu_database),
    }
    yield connections
    for connection in connections.values():
        await connection.close()


@pytest.fixture
async def placed_tenant(eu_database: str) -> AsyncIterator[Any]:
    """Provision tenants on a placement for one test and drop them afterwards."""
    made: list[str] = []

    async def make(placement: str, region: str = "EU") -> Any:
        tenant = await provision_tenant(
            NewTenant(slug=unique_slug(), name="Residency Co", region=region, placement=placement)
        )
        made.append(tenant.slug)
        return tenant

    yield make
    for slug in made:
        await drop_tenant(slug)
