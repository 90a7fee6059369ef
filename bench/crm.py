"""CRM read paths at scale: the contacts list page, the contacts API, global search, and the API against bare SQL.

Seeds one tenant with ``--contacts`` contacts and ``--companies`` companies through COPY inside the tenant
context (the tenant role, its search_path and the generated search columns and indexes, as in production; not
audited, not one request per row), then measures in-process with httpx's ASGITransport, signed in as an admin:

- ``contacts_page_ms_p95``: the HTML list page (first page, default sort by name, 25 rows);
  ``contacts_page_filtered_ms_p95``: the same with a lifecycle-stage filter and sort by last change;
  ``contacts_page_deep_ms_p95``: a page reached by cursor, far into the list;
- ``contacts_api_ms_p95``: ``GET /api/v1/contacts/?limit=50``;
- ``search_ms_p95``: the search page for a three-letter name prefix (varied per request);
- ``raw_ms_p50``, ``api_ms_p50`` and ``api_vs_raw_ratio`` (api / raw: what the whole HTTP stack, tenancy and
  permissions cost over reading the same 50 rows with one asyncpg query on a direct connection; 1.0 = free).

Targets (2 cores, embedded PostgreSQL): page <= 50 ms, API <= 20 ms, search <= 50 ms at p95.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import decimal
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg
from httpx import ASGITransport, AsyncClient

from sampark.platform.config.settings import Settings
from sampark.platform.embedded.services import EmbeddedServices
from sampark.platform.identity.users import add_membership, create_user
from sampark.platform.tenancy.context import tenant_connection, tenant_context
from sampark.platform.tenancy.migrations import migrate_platform
from sampark.platform.tenancy.provisioning import NewTenant, provision_tenant
from sampark.tenants.contacts.fields import LIFECYCLE_STAGES
from sampark.tenants.contacts.queries import COLUMNS
from sampark.web.app import create_app

# Names from many languages, so search is measured on realistic text ("split" keeps the lists readable).
FIRST = (  # noqa: SIM905
    "Aarav Priya Sofía João Mariana Lukas Chloé Giulia Sven Katarzyna Olumide Amani Omar Yuki Min-jun Wei Lan Siti"
    " Liam Olivia Ethan Isabella Noah Ana Mehmet Fatima Ravi Meera Kiran Anjali Diego Lucía Hannah Emma Mateo"
    " Aisha Kwame Nia Hiroshi Sakura राम सीता"
).split()
LAST = (  # noqa: SIM905
    "Sharma Iyer García Silva Costa Müller Dubois Rossi Andersson Nowak Adeyemi Wanjiru Haddad Tanaka Kim Zhang"
    " Nguyễn Rahmawati O'Connor Thompson Wilson Martínez Petrović Yılmaz Mensah Okafor Banerjee Reddy Fischer"  # noqa: RUF001
    " Schmidt Moreau Lefebvre Bianchi Kowalski Jensen Novak शर्मा वर्मा"
).split()
WORDS = "Global Tech Trading Systems Foods Logistics Energy Health Capital Labs Works Studio Partners Group".split()  # noqa: SIM905
TAGS = ["vip", "trade fair", "newsletter", "partner", "churn risk", "north", "south"]
STAGES = list(LIFECYCLE_STAGES)


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def _seed(slug: str, owner_id: int, contacts: int, companies: int) -> None:
    rng = random.Random(42)
    async with tenant_context(slug=slug):
        connection = tenant_connection()
        company_rows = [
            (
                f"{rng.choice(WORDS)} {rng.choice(WORDS)} {index}",
                f"company{index}.example",
                rng.choice(["Software", "Retail", "Manufacturing", "Finance", ""]),
                json.dumps({"city": rng.choice(["Pune", "Berlin", "Lagos", "Lima"]), "country": "IN"}),
                owner_id,
            )
            for index in range(companies)
        ]
        await connection.copy_records_to_table(
            "companies", records=company_rows, columns=["name", "domain", "industry", "address", "owner_id"]
        )
        first_company = await connection.fetchval("SELECT min(id) FROM companies")
        contact_rows = []
        for index in range(contacts):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}.{index}@company{index % max(companies, 1)}.example"
            phone = f"+4930{index:08d}"
            contact_rows.append(
                (
                    first,
                    last,
                    email,
                    phone,
                    json.dumps([email]),
                    json.dumps([{"number": phone, "label": "work"}]),
                    first_company + rng.randrange(companies) if companies and rng.random() < 0.6 else None,
                    owner_id,
                    rng.choice(STAGES),
                    json.dumps(rng.sample(TAGS, rng.randrange(3))),
                )
            )
        columns = [
            "first_name", "last_name", "email", "phone", "emails", "phones", "company_id", "owner_id",
            "lifecycle_stage", "tags",
        ]  # fmt: skip
        for start in range(0, len(contact_rows), 20_000):
            await connection.copy_records_to_table(
                "contacts", records=contact_rows[start : start + 20_000], columns=columns
            )


async def _seed_deals(slug: str, owner_id: int, deals: int, open_deals: int) -> int:
    """``deals`` deals: ``open_deals`` open ones spread over the default pipeline's open stages, the rest
    won or lost (in its won/lost stages). Returns the pipeline id."""
    rng = random.Random(11)
    async with tenant_context(slug=slug):
        connection = tenant_connection()
        pipeline_id = await connection.fetchval("SELECT id FROM pipelines WHERE is_default")
        stages = await connection.fetch(
            "SELECT id, kind FROM pipeline_stages WHERE pipeline_id = $1 ORDER BY position", pipeline_id
        )
        open_ids = [row["id"] for row in stages if row["kind"] == "open"]
        closed = [(row["id"], row["kind"]) for row in stages if row["kind"] != "open"]
        first_company = await connection.fetchval("SELECT min(id) FROM companies")
        companies = await connection.fetchval("SELECT count(*) FROM companies")
        today = datetime.date.today()
        rows = []
        for index in range(deals):
            stage_id, status = (rng.choice(open_ids), "open") if index < open_deals else rng.choice(closed)
            rows.append(
                (
                    f"{rng.choice(WORDS)} deal {index}",
                    decimal.Decimal(rng.randrange(1_000, 500_000)) / 100,
                    "EUR",
                    today + datetime.timedelta(days=rng.randrange(-30, 180)),
                    owner_id,
                    pipeline_id,
                    stage_id,
                    first_company + rng.randrange(companies) if companies else None,
                    status,
                )
            )
        columns = [
            "name", "amount", "currency", "expected_close_date", "owner_id", "pipeline_id", "stage_id", "company_id",
            "status",
        ]  # fmt: skip
        await connection.copy_records_to_table("deals", records=rows, columns=columns)
        return int(pipeline_id)


async def _timed(client: AsyncClient, urls: list[str], requests: int) -> list[float]:
    samples = []
    for index in range(requests):
        url = urls[index % len(urls)]
        started = time.perf_counter()
        response = await client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return samples


async def _raw(database_url: str, schema: str, requests: int) -> list[float]:
    """The API's rows (first 50 by name, with the company name) read with one bare asyncpg query."""
    connection = await asyncpg.connect(database_url, server_settings={"search_path": schema})
    query = (
        f"SELECT {COLUMNS} FROM contacts c LEFT JOIN companies co ON co.id = c.company_id"
        " ORDER BY lower(c.first_name), lower(c.last_name), c.id LIMIT 50"
    )
    samples = []
    try:
        for _ in range(requests):
            started = time.perf_counter()
            rows = await connection.fetch(query)
            samples.append((time.perf_counter() - started) * 1000)
            assert len(rows) == 50
    finally:
        await connection.close()
    return samples


async def run(
    settings: Settings,
    contacts: int,
    companies: int,
    requests: int,
    deals: int = 20_000,
    open_deals: int = 2_000,
) -> None:
    app = create_app(settings.with_overrides(log_level="WARNING", login_attempts_per_minute=1_000_000))
    async with app.lifespan():
        await migrate_platform()
        tenant = await provision_tenant(
            NewTenant(slug=f"crm-{int(time.time())}", name="CRM bench", region="EU")
        )
        user = await create_user(f"bench-{tenant.id}@example.com", "Bench Admin", "bench password 12345")
        await add_membership(user.id, tenant.id, "admin")
        started = time.perf_counter()
        await _seed(tenant.slug, user.id, contacts, companies)
        pipeline_id = await _seed_deals(tenant.slug, user.id, deals, open_deals)
        seed_s = time.perf_counter() - started
        # What autovacuum would do soon after a bulk load (only the owner may ANALYZE, not the tenant role).
        owner = await asyncpg.connect(settings.database_url or "")
        try:
            await owner.execute(
                f'ANALYZE "{tenant.schema_name}".contacts, "{tenant.schema_name}".companies,'
                f' "{tenant.schema_name}".deals'
            )
        finally:
            await owner.close()
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client:
            page = await client.get("/login")
            token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
            await client.post(
                "/login", data={"email": user.email, "password": "bench password 12345", "_csrf_token": token}
            )
            base = f"/t/{tenant.slug}"
            api = await client.get(f"{base}/api/v1/contacts/", params={"limit": 100})
            cursor = api.json()["next_cursor"]
            for _ in range(20):  # walk a few thousand rows in: a deep page
                api = await client.get(f"{base}/api/v1/contacts/", params={"limit": 100, "cursor": cursor})
                cursor = api.json()["next_cursor"]
            rng = random.Random(7)
            prefixes = sorted({name[:3] for name in FIRST + LAST if len(name) >= 3})
            searches = [f"{base}/search?q={rng.choice(prefixes)}" for _ in range(50)]
            plans = {
                "contacts_page": [f"{base}/contacts/"],
                "contacts_page_filtered": [f"{base}/contacts/?lifecycle_stage=customer&sort=-updated_at"],
                "contacts_page_deep": [f"{base}/contacts/?cursor={cursor}"],
                "contacts_api": [f"{base}/api/v1/contacts/?limit=50"],
                "search": searches,
                "kanban": [f"{base}/deals/board?pipeline={pipeline_id}"],
                "deals_page": [f"{base}/deals/"],
            }
            for urls in plans.values():
                await _timed(client, urls, 30)  # warm up
            results = {name: await _timed(client, urls, requests) for name, urls in plans.items()}
        raw = await _raw(settings.database_url or "", tenant.schema_name, requests)
    print(f"contacts: {contacts} rows")
    print(f"companies: {companies} rows")
    print(f"deals: {deals} rows")
    print(f"open_deals: {open_deals} rows")
    print(f"seed_s: {seed_s:.1f} s")
    print(f"requests: {requests} count")
    for name, samples in results.items():
        print(f"{name}_ms_p50: {statistics.median(samples):.2f} ms")
        print(f"{name}_ms_p95: {_percentile(samples, 0.95):.2f} ms")
    print(f"raw_ms_p50: {statistics.median(raw):.3f} ms")
    print(f"api_ms_p50: {statistics.median(results['contacts_api']):.3f} ms")
    print(
        f"api_vs_raw_ratio: {statistics.median(results['contacts_api']) / statistics.median(raw):.2f} ratio"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--deals", type=int, default=20_000)
    parser.add_argument("--open-deals", type=int, default=2_000, help="open deals in the default pipeline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sampark-bench-", dir="/tmp") as data_dir:
        services = EmbeddedServices(Settings.from_env(data_dir=Path(data_dir)))
        settings = services.start()
        try:
            asyncio.run(
                run(settings, args.contacts, args.companies, args.requests, args.deals, args.open_deals)
            )
        finally:
            services.stop()


if __name__ == "__main__":
    main()
