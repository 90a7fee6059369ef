"""Custom fields on deals and leads (forms in the user's language, detail, API filter, export column, history)
and column choice and saved views on their lists; another tenant's ids answer 404."""

from __future__ import annotations

from sampark.tenants.deals.services import get_deal
from sampark.tenants.leads.services import get_lead
from sampark.web.locale.resolve import LOCALE_COOKIE
from tests.integration.customfields.helpers import TIER, add_field
from tests.integration.lists.helpers import add_deal, add_lead, audit_entries, csv_rows
from tests.support.web import acting_in, api_session, make_member, post_form, sign_in


async def test_deal_custom_fields_form_api_filter_export_history(client, tenant) -> None:
    admin = await make_member(tenant)
    await add_field(tenant, admin, "deals", **TIER)
    await add_field(tenant, admin, "deals", key="score", type="number", label="Score", max_value="100")
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/deals/"
    client.cookies.set(LOCALE_COOKIE, "de")
    bad = await post_form(client, f"{base}new", f"{base}new",
                          {"name": "Big", "amount": "10", "currency": "EUR", "custom-score": "500"})  # fmt: skip
    assert bad.status_code == 400 and 'id="custom-score-error"' in bad.text and "Stufe" in bad.text
    assert "100" in bad.text.split('id="custom-score-error"')[1].split("</p>")[0]
    client.cookies.set(LOCALE_COOKIE, "en")
    made = await post_form(client, f"{base}new", f"{base}new",
                           {"name": "<b>Big</b>", "amount": "10", "currency": "EUR", "custom-tier": "gold",
                            "custom-score": "42"})  # fmt: skip
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    deal_id = int(url.rsplit("/", 1)[1])
    detail = await client.get(url)
    assert "Tier" in detail.text and "Gold" in detail.text and "<b>Big</b>" not in detail.text
    await add_deal(tenant, admin, "Plain", custom={"tier": "silver"})

    await api_session(client, tenant, admin)
    api = f"/t/{tenant.slug}/api/v1/deals"
    listed = (await client.get(api, params={"cf.tier": "gold"})).json()["items"]
    assert [item["id"] for item in listed] == [deal_id] and listed[0]["custom"] == {
        "tier": "gold",
        "score": 42,
    }
    unknown = await client.get(api, params={"cf.nope": "1"})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "invalid_filter"
    current = await client.get(f"{api}/{deal_id}")
    patched = await client.patch(
        f"{api}/{deal_id}", json={"custom": {"score": None}}, headers={"If-Match": current.headers["etag"]}
    )
    assert patched.status_code == 200 and patched.json()["custom"] == {"tier": "gold"}
    wrong = await client.post(api, json={"name": "X", "custom": {"tier": "platinum"}})
    assert wrong.status_code == 422 and "custom.tier" in wrong.json()["error"]["details"]
    updates = [e for e in await audit_entries(tenant, "update", "deal") if e["object_id"] == deal_id]
    assert "cf.score" in str(updates[-1]["changes"])

    rows = csv_rows(await client.get(f"{base}export.csv", params={"cf.tier": "gold"}))
    assert rows[0][-2:] == ["Tier", "Score"] and len(rows) == 2 and rows[1][-2:] == ["gold", ""]
    assert "Gold" in (await client.get(f"{base}?cf.tier=gold")).text
    assert "No deals match" in (await client.get(f"{base}?cf.score.min=50")).text


async def test_lead_custom_fields_and_views(client, tenant) -> None:
    admin = await make_member(tenant)
    await add_field(tenant, admin, "leads", **TIER)
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/leads/"
    made = await post_form(client, f"{base}new", f"{base}new",
                           {"first_name": "Ann", "last_name": "Lee", "source": "manual", "status": "new",
                            "custom-tier": "gold"})  # fmt: skip
    assert made.status_code == 303, made.text
    lead_id = int(made.headers["location"].rsplit("/", 1)[1])
    await add_lead(tenant, admin, "Bob", custom={"tier": "silver"})
    async with acting_in(tenant, admin):
        assert (await get_lead(lead_id)).custom == {"tier": "gold"}

    # Choose columns: the tier column, then e-mail; the list shows them in that order.
    columns = await post_form(
        client, f"/t/{tenant.slug}/lists/leads/columns", f"/t/{tenant.slug}/lists/leads/columns",
        {"show-cf.tier": "1", "position-cf.tier": "1", "show-email": "1", "position-email": "2"},
    )  # fmt: skip
    assert columns.status_code == 303
    page = await client.get(base)
    header = page.text.split("<thead>")[1].split("</thead>")[0]
    assert header.index("Tier") < header.index("E-mail") and "Source" not in header
    # Save the gold filter as a view; the view applies its filter and the export follows it.
    saved = await post_form(client, base, f"/t/{tenant.slug}/views/",
                            {"object": "leads", "name": "Gold leads", "query": "cf.tier=gold", "columns": "cf.tier"})  # fmt: skip
    assert saved.status_code == 303
    view_url = saved.headers["location"]
    view_page = await client.get(view_url)
    assert "Ann Lee" in view_page.text and "Bob" not in view_page.text and "Gold leads" in view_page.text
    view_id = view_url.split("view=")[1]
    exported = csv_rows(await client.get(f"{base}export.csv", params={"view": view_id}))
    assert [row[1] for row in exported[1:]] == ["Ann"] and exported[0][-1] == "Tier"
    export_entry = (await audit_entries(tenant, "export", "lead"))[-1]
    assert str(view_id) in str(export_entry["changes"])
    # A view of leads does not open on deals, and another user's personal view is not found.
    assert (await client.get(f"/t/{tenant.slug}/deals/?view={view_id}")).status_code == 404
    other = await make_member(tenant)
    await sign_in(client, other)
    assert (await client.get(view_url)).status_code == 404
    assert (await client.get(f"{base}export.csv?view={view_id}")).status_code == 404


async def test_another_tenants_deals_and_leads_answer_404(client, tenant, make_tenant) -> None:
    other = await make_tenant()
    stranger = await make_member(other)
    deal = await add_deal(other, stranger, "Foreign")
    lead = await add_lead(other, stranger, "Foreign")
    admin = await make_member(tenant)
    await api_session(client, tenant, admin)
    for path in (f"/deals/{deal.id}", f"/deals/{deal.id}/edit", f"/leads/{lead.id}", f"/leads/{lead.id}/edit",
                 f"/api/v1/deals/{deal.id}", f"/api/v1/leads/{lead.id}"):  # fmt: skip
        assert (await client.get(f"/t/{tenant.slug}{path}")).status_code == 404, path
    async with acting_in(other, stranger):
        assert await get_deal(deal.id) is not None
