"""Cost of tenant routing: one tenant-scoped API read against the same read with no tenancy, in one run.

Both requests are served by the same app and stack, signed in with the same session, and read the same
rows through the same service (``list_contacts``). The tenant request resolves the tenant and membership, runs in
``tenant_context`` (one transaction with search_path and role) and loads the member's role and teams. The bare
request runs the service in one transaction on a second pool whose connections are fixed to the tenant's schema,
as a single-tenant deployment would: the same round trips for the rows, but no registry lookup, no membership, no
role and no ``SET LOCAL``.

Prints ``tenant_ms_p50``, ``bare_ms_p50``, ``tenant_ms_p95``, ``bare_ms_p95`` and ``routing_ratio``
(bare time / tenant time: 1.0 means routing is free; the target is >= 0.7).

With ``--remote`` it also serves the same rows from a tenant on a remote placement (``eu``, a second database on
the same server, see docs/regions.md) and prints ``remote_tenant_ms_p50`` and ``remote_extra_ms_p50`` (the
cost of the home-side membership read and the second server's transaction).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import asyncpg
from httpx import ASGITransport, AsyncClient
from litestar import Request, get

from sampark.platform.config.settings import Settings
from sampark.platform.db.engine import Engine, engine_config, pool_options
from sampark.platform.db.placements import open_placements
from sampark.platform.embedded.services import EmbeddedServices
from sampark.platform.identity.users import add_membership, create_user
from sampark.platform.tenancy.context import tenant_context
from sampark.platform.tenancy.migrations import migrate_placements, migrate_platform
from sampark.platform.tenancy.provisioning import NewTenant, provision_tenant
from sampark.tenants.access.policy import Principal, acting_as, load_principal
from sampark.tenants.contacts.services import create_contact, list_contacts
from sampark.tenants.schema import TENANT_SCHEMA
from sampark.web.app import create_app
from sampark.web.deps import require_user


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def _timed(client: AsyncClient, url: str, requests: int) -> list[float]:
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = await client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    return samples


async def _fill(tenant_slug: str, user_id: int, rows: int) -> None:
    async with tenant_context(slug=tenant_slug):
        with acting_as(await load_principal(user_id, "admin")):
            for index in range(rows):
                await create_contact({"first_name": f"Person {index}", "email": f"p{index}@example.com"})


async def _remote_tenant(settings: Settings, user_id: int, rows: int) -> str:
    """A second database on the server mapped to ``eu``, and a tenant placed there; returns its slug."""
    url = settings.database_url or ""
    admin = await asyncpg.connect(url)
    name = f"bench_eu_{int(time.time())}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    await open_placements(
        settings.with_overrides(
            region_databases=(("eu", urlunparse(urlparse(url)._replace(path=f"/{name}"))),)
        )
    )
    await migrate_placements()
    tenant = await provision_tenant(
        NewTenant(slug=f"bench-eu-{int(time.time())}", name="EU", region="EU", placement="eu")
    )
    await add_membership(user_id, tenant.id, "admin")
    await _fill(tenant.slug, user_id, rows)
    return tenant.slug


async def run(settings: Settings, requests: int, rows: int, remote: bool = False) -> None:
    app = create_app(settings.with_overrides(log_level="WARNING", login_attempts_per_minute=1_000_000))
    async with app.lifespan():
        await migrate_platform()
        slug = f"bench-{int(time.time())}"
        tenant = await provision_tenant(NewTenant(slug=slug, name="Bench", region="EU"))
        user = await create_user(f"bench-{tenant.id}@example.com", "Bench", "bench password 12345")
        await add_membership(user.id, tenant.id, "admin")
        await _fill(tenant.slug, user.id, rows)
        remote_slug = await _remote_tenant(settings, user.id, rows) if remote else None
        config = engine_config(settings.database_url or "")
        config["server_settings"] = {**config["server_settings"], "search_path": tenant.schema_name}
        single_tenant = Engine(config=config)
        await single_tenant.start_connection_pool(**pool_options(2))

        @get("/bench/bare")
        async def bare(request: Request[Any, Any, Any]) -> dict[str, object]:
            require_user(request)
            # Requests in this script run one at a time, so swapping the tables' engine is safe here. Every tenant
            # table moves: the list reads custom-field definitions besides the contacts.
            engines = {table: table._meta.db for table in TENANT_SCHEMA.tables}
            for table in engines:
                table._meta.db = single_tenant
            try:
                # One transaction, as the tenant path has, so both take one pool connection per request.
                async with single_tenant.transaction():
                    with acting_as(Principal.system()):
                        page = await list_contacts(limit=20)
            finally:
                for table, engine in engines.items():
                    table._meta.db = engine
            return {"items": [asdict(item) for item in page.items], "next_cursor": page.next_cursor}

        app.register(bare)
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client:
            page = await client.get("/login")
            token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
            await client.post(
                "/login", data={"email": user.email, "password": "bench password 12345", "_csrf_token": token}
            )
            tenant_url = f"/t/{tenant.slug}/api/v1/contacts/?limit=20"
            await _timed(client, tenant_url, 50)  # warm up both paths
            await _timed(client, "/bench/bare", 50)
            remote_url = f"/t/{remote_slug}/api/v1/contacts/?limit=20" if remote_slug else None
            if remote_url:
                await _timed(client, remote_url, 50)
            tenant_ms, bare_ms, remote_ms = [], [], []
            for _ in range(5):  # interleave, so drift in machine load hits both alike
                tenant_ms += await _timed(client, tenant_url, requests // 5)
                bare_ms += await _timed(client, "/bench/bare", requests // 5)
                if remote_url:
                    remote_ms += await _timed(client, remote_url, requests // 5)
        await single_tenant.close_connection_pool()
    print(f"requests: {len(tenant_ms)} count")
    print(f"tenant_ms_p50: {statistics.median(tenant_ms):.3f} ms")
    print(f"bare_ms_p50: {statistics.median(bare_ms):.3f} ms")
    print(f"tenant_ms_p95: {_percentile(tenant_ms, 0.95):.3f} ms")
    print(f"bare_ms_p95: {_percentile(bare_ms, 0.95):.3f} ms")
    print(f"routing_ratio: {statistics.median(bare_ms) / statistics.median(tenant_ms):.3f} ratio")
    if remote_ms:
        print(f"remote_tenant_ms_p50: {statistics.median(remote_ms):.3f} ms")
        print(f"remote_tenant_ms_p95: {_percentile(remote_ms, 0.95):.3f} ms")
        print(f"remote_extra_ms_p50: {statistics.median(remote_ms) - statistics.median(tenant_ms):.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--remote", action="store_true", help="also time a tenant on a remote placement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sampark-bench-", dir="/tmp") as data_dir:
        services = EmbeddedServices(Settings.from_env(data_dir=Path(data_dir)))
        settings = services.start()
        try:
            asyncio.run(run(settings, args.requests, args.rows, args.remote))
        finally:
            services.stop()


if __name__ == "__main__":
    main()
