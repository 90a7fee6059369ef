"""CSV exports of the companies, leads and deals lists: content, filters and sort, permission scope and
refusal, audit, formula-injection guard."""

from __future__ import annotations

import json

from sampark.tenants.contacts.services import create_contact
from tests.integration.lists.helpers import add_deal, add_lead, audit_entries, csv_rows
from tests.support.web import acting_in, add_company, make_member, sign_in


async def test_company_export_filters_guards_and_audits(client, tenant) -> None:
    admin = await make_member(tenant)
    await add_company(tenant, admin, "=cmd|calc", industry="Retail")
    await add_company(tenant, admin, "Acme", domain="acme.example", industry="Software")
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/companies/export.csv"
    rows = csv_rows(await client.get(base))
    assert rows[0][:4] == ["ID", "Name", "Domain", "Industry"]
    assert sorted(row[1] for row in rows[1:]) == ["'=cmd|calc", "Acme"]
    only = csv_rows(await client.get(base, params={"industry": "software"}))
    assert [row[1] for row in only[1:]] == ["Acme"] and only[1][2] == "acme.example"
    assert (await client.get(base, params={"colour": "red"})).status_code == 400
    entries = await audit_entries(tenant, "export", "company")
    assert len(entries) == 2 and "software" in json.dumps(entries[-1]["changes"])


async def test_lead_export_and_the_permission_check(client, tenant) -> None:
    admin, reader = await make_member(tenant), await make_member(tenant, "read-only")
    await add_lead(tenant, admin, "Ann", tags=["hot"], emails=["ann@x.example"])
    await add_lead(tenant, admin, "@Bob")
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/leads/export.csv"
    hot = csv_rows(await client.get(base, params={"tag": "hot"}))
    assert hot[0][1] == "First name" and len(hot) == 2 and hot[1][1] == "Ann" and hot[1][5] == "ann@x.example"
    assert "hot" in hot[1]
    every = csv_rows(await client.get(base, params={"sort": "name"}))
    assert [row[1] for row in every[1:]] == ["'@Bob", "Ann"]
    page = await client.get(f"/t/{tenant.slug}/leads/")
    assert "leads/export.csv" in page.text
    assert len(await audit_entries(tenant, "export", "lead")) == 2

    await sign_in(client, reader)
    assert "export.csv" not in (await client.get(f"/t/{tenant.slug}/leads/")).text
    assert (await client.get(base)).status_code == 403


async def test_deal_export_columns_scope_and_refusal(client, tenant) -> None:
    admin, seller, other = (
        await make_member(tenant),
        await make_member(tenant, "sales"),
        await make_member(tenant),
    )
    company = await add_company(tenant, admin, "Acme")
    async with acting_in(tenant, admin):
        contact = await create_contact({"first_name": "Cleo", "last_name": "Buyer"})
    await add_deal(
        tenant, admin, "Big deal", amount="1250.50", company_id=company, contact_ids=[contact.id],
        expected_close_date="2026-12-31",
    )  # fmt: skip
    await add_deal(tenant, other, "+Small", amount="10")
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/deals/export.csv"
    rows = csv_rows(await client.get(base, params={"sort": "-amount"}))
    assert rows[0] == [
        "ID", "Name", "Amount", "Currency", "Pipeline", "Stage", "Status", "Expected close date", "Owner",
        "Company", "Contacts", "Created", "Updated",
    ]  # fmt: skip
    big = rows[1]
    assert big[1:4] == ["Big deal", "1250.500", "EUR"] and big[6] == "open" and big[7] == "2026-12-31"
    assert big[9] == "Acme" and big[10] == "Cleo Buyer" and big[4] and big[5]
    assert rows[2][1] == "'+Small"
    filtered = csv_rows(await client.get(base, params={"amount_min": "1000"}))
    assert [row[1] for row in filtered[1:]] == ["Big deal"]
    assert (await client.get(base, params={"amount_min": "lots"})).status_code == 400
    # Sales may not export deals (no export grant).
    await sign_in(client, seller)
    assert (await client.get(base)).status_code == 403
    assert "deals/export.csv" not in (await client.get(f"/t/{tenant.slug}/deals/")).text


async def test_exports_are_scoped_to_what_the_role_sees(client, tenant) -> None:
    from sampark.platform.tenancy.context import tenant_context
    from sampark.tenants.access.tables import Role

    async with tenant_context(slug=tenant.slug):
        await Role.insert(
            Role(key="own-exp", name="Own exporter",
                 permissions={"deals": {"view": "own", "export": "own"}, "leads": {"view": "own", "export": "own"}})
        )  # fmt: skip
    exporter, colleague = await make_member(tenant, "own-exp"), await make_member(tenant)
    await add_deal(tenant, colleague, "Theirs", owner_id=exporter.id)
    await add_deal(tenant, colleague, "Hidden")
    await add_lead(tenant, colleague, "HiddenLead")
    await sign_in(client, exporter)
    deals = csv_rows(await client.get(f"/t/{tenant.slug}/deals/export.csv"))
    assert [row[1] for row in deals[1:]] == ["Theirs"]
    leads = csv_rows(await client.get(f"/t/{tenant.slug}/leads/export.csv"))
    assert leads[1:] == []
