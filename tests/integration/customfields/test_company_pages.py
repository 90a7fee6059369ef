"""Custom fields on the company pages, and the edit-conflict notice listing what was typed in a custom field."""

from tests.integration.customfields.helpers import add_field
from tests.support.web import make_member, post_form, sign_in


async def test_company_form_detail_list_and_conflict(client, tenant) -> None:
    admin = await make_member(tenant)
    await add_field(tenant, admin, "companies", key="budget", type="currency", label="Budget", min_value="0")
    await add_field(tenant, admin, "companies", key="site", type="url", label="Web shop")
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/companies/"
    bad = await post_form(client, f"{base}new", f"{base}new",
                          {"name": "Acme", "custom-budget-amount": "-5", "custom-budget-currency": "EUR",
                           "custom-site": "javascript:alert(1)"})  # fmt: skip
    assert (
        bad.status_code == 400
        and 'id="custom-budget-error"' in bad.text
        and 'id="custom-site-error"' in bad.text
    )
    made = await post_form(client, f"{base}new", f"{base}new",
                           {"name": "Acme", "custom-budget-amount": "2500", "custom-budget-currency": "INR",
                            "custom-site": "https://shop.example"})  # fmt: skip
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    detail = await client.get(url)
    assert "2,500.00" in detail.text and 'href="https://shop.example"' in detail.text
    assert "Acme" in (await client.get(f"{base}?cf.budget.min=1000")).text
    assert "No companies match" in (await client.get(f"{base}?cf.budget.min=5000")).text

    first = await post_form(client, f"{url}/edit", f"{url}/edit", {"name": "Acme", "custom-budget-amount": "3000",
                                                                   "custom-budget-currency": "INR", "version": "1"})  # fmt: skip
    assert first.status_code == 303
    stale = await post_form(client, f"{url}/edit", f"{url}/edit", {"name": "Acme", "custom-budget-amount": "9",
                                                                   "custom-budget-currency": "INR", "version": "1"})  # fmt: skip
    assert stale.status_code == 409 and 'id="conflict"' in stale.text
    notice = stale.text.split('id="conflict"')[1].split("</div>")[0]
    assert "Budget" in notice and "9 INR" in notice
    history = await client.get(url)
    assert "2500 INR" in history.text and "3000 INR" in history.text
