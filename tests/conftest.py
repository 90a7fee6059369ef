"""Session-wide real services, per-test tenants, and the app with an HTTP client."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from litestar import Litestar

from sampark.platform.config.settings import Settings
from sampark.platform.database import close_engine, open_engine
from sampark.platform.tenancy.context import TenantRecord
from sampark.platform.tenancy.migrations import migrate_platform
from sampark.platform.tenancy.provisioning import NewTenant, drop_tenant, provision_tenant
from sampark.web.app import create_app
from tests.support.services import test_services


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    with test_services() as running:
        yield running


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[Settings]:
    await open_engine(settings)
    await migrate_platform()
    yield settings
    await close_engine()


def unique_slug(prefix: str = "t") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


@pytest.fixture
async def make_tenant(database: Settings) -> AsyncIterator[Any]:
    """Provision fresh tenants for one test and drop them afterwards."""
    made: list[TenantRecord] = []

    async def make(region: str = "EU") -> TenantRecord:
        tenant = await provision_tenant(NewTenant(slug=unique_slug(), name="Test Co", region=region))
        made.append(tenant)
        return tenant

    yield make
    for tenant in made:
        await drop_tenant(tenant.slug)


@pytest.fixture
async def tenant(make_tenant: Any) -> TenantRecord:
    return await make_tenant()


@pytest.fixture(scope="session")
async def app(database: Settings) -> AsyncIterator[Litestar]:
    # A generous login limit here; the rate-limit test builds its own app with a small one.
    application = create_app(database.with_overrides(login_attempts_per_minute=10_000))
    # Run the start-up and shutdown hooks directly: Litestar's lifespan() uses an anyio task group, which must be
    # exited in the task that entered it, and a session fixture's teardown runs in another task.
    for hook in application.on_startup:
        await hook(application)
    yield application
    for hook in application.on_shutdown:
        await hook(application)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as http:
        yield http
