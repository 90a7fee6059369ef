"""Scratch databases on the test server, for tests that must not see (or touch) other tests' tenants."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlparse, urlunparse

import asyncpg

from sampark.platform.config.settings import Settings
from sampark.platform.database import close_engine, open_engine
from sampark.platform.tenancy.migrations import migrate_platform
from sampark.platform.tenancy.provisioning import drop_tenant, list_tenants


def database_url(server_url: str, name: str) -> str:
    """``server_url`` pointing at database ``name`` instead (works for socket URLs with ``?host=`` too)."""
    return urlunparse(urlparse(server_url)._replace(path=f"/{name}"))


@asynccontextmanager
async def scratch_database(server_url: str, prefix: str = "scratch") -> AsyncIterator[str]:
    """Create an empty database on the same server; drop it afterwards."""
    name = f"sampark_{prefix}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield database_url(server_url, name)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@asynccontextmanager
async def engine_on_scratch_database(settings: Settings) -> AsyncIterator[str]:
    """Point the process engine at a fresh, platform-migrated database; restore it afterwards.

    Tenants made inside are dropped at the end, so their cluster-wide roles do not outlive the database.
    """
    assert settings.database_url
    async with scratch_database(settings.database_url, "tenancy") as url:
        await close_engine()
        try:
            await open_engine(settings.with_overrides(database_url=url))
            await migrate_platform()
            try:
                yield url
            finally:
                for tenant in await list_tenants():
                    await drop_tenant(tenant.slug)
        finally:
            await close_engine()
            await open_engine(settings)
