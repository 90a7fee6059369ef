"""Currency pages and API, and amounts in the base currency on the deal list, the board and the lost report:
validation messages, API codes, permissions, tenant isolation, escaping."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sampark.tenants.activities.services import create_activity
from sampark.tenants.contacts.services import create_contact
from sampark.tenants.currencies import services
from sampark.tenants.deals.services import create_deal, mark_lost, mark_won
from sampark.tenants.pipelines.queries import default_pipeline
from sampark.tenants.tasks.services import create_task
from tests.support.web import acting_in, api_session, make_member, post_form, sign_in


async def test_admin_page_enters_and_imports_rates_with_messages(client, tenant) -> None:
    admin = await make_member(tenant)
    await sign_in(client, admin)
    page_url = f"/t/{tenant.slug}/admin/currencies/"
    page = await client.get(page_url)
    assert page.status_code == 200 and "Base currency: EUR" in page.text and "No rates yet" in page.text
    assert 'aria-current="page">Currencies' in page.text  # the admin navigation links here
    bad = await post_form(client, page_url, page_url, {"currency": "<b>x", "rate": "abc", "valid_from": ""})
    assert bad.status_code == 400
    assert 'id="currency-error"' in bad.text and 'id="rate-error"' in bad.text and "<b>x" not in bad.text
    saved = await post_form(
        client, page_url, page_url, {"currency": "usd", "rate": "0.92", "valid_from": "2026-01-05"}
    )
    assert saved.status_code == 303
    listed = await client.get(page_url)
    assert "1 USD = 0.92 EUR" in listed.text and "The USD rate was saved." in listed.text
    refused = await post_form(
        client,
        page_url,
        f"{page_url}import",
        {"csv": "GBP,1.17,2026-01-01\nJPY,abc,2026-01-01\n<script>,1,2026-01-01"},
    )
    assert refused.status_code == 400
    assert "Line 2:" in refused.text and "Line 3:" in refused.text and "<script>," not in refused.text
    assert "GBP" not in (await client.get(page_url)).text.split('id="rates"')[1]  # nothing written
    imported = await post_form(client, page_url, f"{page_url}import", {"csv": "GBP,1.17,2026-01-01"})
    assert imported.status_code == 303
    listed = await client.get(page_url)
    assert "1 GBP = 1.17 EUR" in listed.text
    rate_id = re.search(r"/admin/currencies/(\d+)/delete", listed.text)
    assert rate_id
    deleted = await post_form(client, page_url, f"{page_url}{rate_id.group(1)}/delete", {})
    assert deleted.status_code == 303


async def test_a_sales_user_gets_no_currency_admin(client, tenant) -> None:
    sales = await make_member(tenant, role="sales")
    await sign_in(client, sales)
    assert (await client.get(f"/t/{tenant.slug}/admin/currencies/")).status_code == 403
    assert (await client.get(f"/t/{tenant.slug}/api/v1/exchange-rates/")).status_code == 403
    assert (
        await client.post(f"/t/{tenant.slug}/api/v1/exchange-rates/", json={"currency": "USD", "rate": "1"})
    ).status_code == 403


async def test_api_lists_creates_imports_converts_with_stable_codes(client, tenant) -> None:
    admin = await make_member(tenant)
    await api_session(client, tenant, admin)
    api = f"/t/{tenant.slug}/api/v1/exchange-rates"
    made = await client.post(f"{api}/", json={"currency": "USD", "rate": "0.9", "valid_from": "2026-01-01"})
    assert made.status_code == 201 and made.json()["rate"] == "0.9" and made.json()["base"] == "EUR"
    number = await client.post(f"{api}/", json={"currency": "GBP", "rate": 1.17})
    assert number.status_code == 201 and number.json()["rate"] == "1.17"
    bad = await client.post(f"{api}/", json={"currency": "ZZZ", "rate": "-1"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_failed"
    assert set(bad.json()["error"]["details"]) >= {"currency", "rate"}
    unknown = await client.post(f"{api}/", json={"currency": "USD", "rate": "1", "bogus": 1})
    assert unknown.status_code == 400
    rows = await client.post(
        f"{api}/import", content=b"currency,rate,date\nJPY,0.0061,2026-01-01\nXXX1,2,2026-01-01\n"
    )
    assert rows.status_code == 422 and rows.json()["error"]["code"] == "invalid_rows"
    assert [row["line"] for row in rows.json()["error"]["details"]["rows"]] == [3]
    good = await client.post(f"{api}/import", content=b"JPY,0.0061,2026-01-01\n")
    assert good.status_code == 201 and good.json() == {"imported": 1}
    listing = await client.get(f"{api}/", params={"currency": "usd"})
    assert [item["currency"] for item in listing.json()["items"]] == ["USD"]
    assert (await client.get(f"{api}/", params={"nope": "1"})).json()["error"]["code"] == "unknown_filter"
    assert (await client.get(f"{api}/", params={"sort": "rate"})).json()["error"]["code"] == "unknown_sort"
    assert (await client.get(f"{api}/", params={"cursor": "garbage"})).json()["error"][
        "code"
    ] == "invalid_cursor"
    converted = await client.get(
        f"{api}/convert", params={"amount": "1000", "currency": "JPY", "date": "2026-02-01"}
    )
    assert converted.status_code == 200 and converted.json()["base_amount"] == "6.10"
    missing = await client.get(f"{api}/convert", params={"amount": "10", "currency": "CHF"})
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "no_rate"
    assert "no rate for CHF" in missing.json()["error"]["message"]
    early = await client.get(
        f"{api}/convert", params={"amount": "10", "currency": "USD", "date": "2025-12-31"}
    )
    assert early.json()["error"]["code"] == "no_rate"
    nonsense = await client.get(f"{api}/convert", params={"amount": "x", "currency": "USD"})
    assert nonsense.status_code == 422 and nonsense.json()["error"]["code"] == "validation_failed"
    rate_id = made.json()["id"]
    assert (await client.get(f"{api}/{rate_id}")).status_code == 200
    assert (await client.delete(f"{api}/{rate_id}")).status_code == 204
    assert (await client.get(f"{api}/{rate_id}")).json()["error"]["code"] == "not_found"
    schema = (await client.get("/api/schema/openapi.json")).json()
    assert "/t/{slug}/api/v1/exchange-rates/import" in schema["paths"]


async def test_another_tenants_rate_ids_answer_404(client, tenant, make_tenant) -> None:
    other = await make_tenant()
    stranger = await make_member(other)
    async with acting_in(other, stranger):
        foreign = await services.add_rate({"currency": "USD", "rate": "0.9"})
    admin = await make_member(tenant)
    await api_session(client, tenant, admin)
    api = f"/t/{tenant.slug}/api/v1/exchange-rates/{foreign.id}"
    assert (await client.get(api)).status_code == 404
    assert (await client.delete(api)).status_code == 404
    page = f"/t/{tenant.slug}/admin/currencies/"
    assert (await post_form(client, page, f"{page}{foreign.id}/delete", {})).status_code == 404
    async with acting_in(other, stranger):
        assert (await services.get_rate(foreign.id)).rate == foreign.rate  # untouched


async def test_deal_list_board_and_lost_report_convert_into_the_base(client, tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        pipeline = await default_pipeline()
        assert pipeline is not None
        await services.add_rate({"currency": "USD", "rate": "0.5", "valid_from": "2000-01-01"})
        await create_deal({"name": "Euro deal", "amount": "100", "currency": "EUR"})
        await create_deal({"name": "Dollar deal", "amount": "300", "currency": "USD"})
        await create_deal({"name": "Rupee deal", "amount": "5000", "currency": "INR"})
        lost = await create_deal({"name": "Lost deal", "amount": "40", "currency": "USD"})
        await mark_lost(lost.id, "price", expected_version=lost.version)
    await sign_in(client, admin)
    listing = await client.get(f"/t/{tenant.slug}/deals/")
    assert "In EUR" in listing.text
    assert "150.00\xa0€" in listing.text  # 300 USD at 0.5
    assert "no rate for INR" in listing.text
    board = await client.get(f"/t/{tenant.slug}/deals/board?pipeline={pipeline.id}")
    column = board.text.split(f'id="column-head-{pipeline.stages[0].id}"')[1].split("</header>")[0]
    assert "250.00\xa0€" in column  # 100 EUR + 300 USD at 0.5; INR left out
    assert "25.00\xa0€" in column  # weighted at 10 %
    assert "1 deal not counted: no rate for INR." in column
    report = await client.get(f"/t/{tenant.slug}/admin/pipelines/{pipeline.id}")
    lost_section = report.text.split('id="lost-per-stage"')[1].split("</ul>")[0]
    assert "Qualification: 1 · 20.00\xa0€" in lost_section


async def test_dashboard_figures_and_permissions(client, tenant) -> None:
    admin = await make_member(tenant)
    sales = await make_member(tenant, role="sales")
    async with acting_in(tenant, admin):
        pipeline = await default_pipeline()
        assert pipeline is not None
        await services.add_rate({"currency": "USD", "rate": "0.5", "valid_from": "2000-01-01"})
        await create_deal({"name": "A", "amount": "1000", "currency": "EUR"})
        won = await create_deal({"name": "B", "amount": "200", "currency": "USD"})
        await mark_won(won.id, expected_version=won.version)
        contact = await create_contact({"first_name": "Ann"})
        await create_activity("call", {"subject": "<script>call()</script>"}, links=[f"contact:{contact.id}"])
        late = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0)
        await create_task({"title": "<b>Late</b> task", "due_at": late.isoformat()})
    async with acting_in(tenant, sales):
        await create_deal({"name": "Mine", "amount": "7", "currency": "EUR"})
    await sign_in(client, admin)
    home = (await client.get(f"/t/{tenant.slug}/")).text
    assert "Open pipeline" in home and "1,007.00\xa0€" in home  # both open deals, the won one excluded
    assert "100.70\xa0€" in home  # weighted at 10 %
    won_card = home.split('id="won-this-month"')[1].split("</a>")[0]
    assert "100.00\xa0€" in won_card and "1 deal won this month" in won_card
    overdue = home.split('class="list dashboard-tasks dashboard-tasks-overdue"')[1].split("</ul>")[0]
    assert "&lt;b&gt;Late&lt;/b&gt; task" in overdue and "<b>Late" not in home
    activities = home.split('id="recent-activities"')[1].split("</section>")[0]
    assert "&lt;script&gt;call()&lt;/script&gt;" in activities and "<script>call()" not in home
    client.cookies.clear()
    await sign_in(client, sales)
    own = (await client.get(f"/t/{tenant.slug}/")).text
    assert "7.00\xa0€" in own and "1,007.00\xa0€" not in own  # a Sales user's dashboard counts only own deals
    assert "Nothing due today and nothing overdue." in own
