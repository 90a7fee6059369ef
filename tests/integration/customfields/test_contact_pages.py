"""Custom fields on the contact pages: form inputs and inline errors in the reader's language, details, list
columns and filters, history with labels, and escaping."""

from tests.integration.customfields.helpers import TIER, add_field
from tests.support.web import make_member, post_form, sign_in


async def test_form_detail_list_and_history(client, tenant) -> None:
    admin = await make_member(tenant)
    await add_field(tenant, admin, **TIER)
    await add_field(tenant, admin, key="score", type="number", label="Score", max_value="10")
    await add_field(tenant, admin, key="vip", type="boolean", label="VIP")
    await add_field(tenant, admin, key="budget", type="currency", label="Budget")
    await add_field(tenant, admin, key="topics", type="multi_select", label="Topics",
                    options=[{"key": "ai", "label": "AI"}, {"key": "crm", "label": "CRM"}])  # fmt: skip
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/contacts/"
    new = await client.get(f"{base}new")
    assert 'name="custom-tier"' in new.text and 'name="custom-budget-amount"' in new.text

    bad = await post_form(
        client, f"{base}new", f"{base}new", {"first_name": "Ann", "custom-score": "11", "custom-tier": "zzz"}
    )
    assert bad.status_code == 400
    assert 'id="custom-score-error"' in bad.text and 'href="#custom-tier"' in bad.text
    assert 'value="11"' in bad.text  # what was typed stays in the form

    client.cookies.set("sampark_locale", "de")
    german = await post_form(client, f"{base}new", f"{base}new", {"first_name": "Ann", "custom-score": "abc"})
    assert german.status_code == 400 and "Enter a number" not in german.text and "Stufe" in german.text
    client.cookies.delete("sampark_locale")

    made = await client.post(
        f"{base}new",
        data={"first_name": "Ann", "custom-tier": "gold", "custom-score": "7", "custom-vip": ["false", "true"],
              "custom-budget-amount": "1200.5", "custom-budget-currency": "EUR", "custom-topics": ["ai", "crm"],
              "_csrf_token": (await client.get(f"{base}new")).text.split('name="_csrf_token" value="')[1].split('"')[0]},
    )  # fmt: skip
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    detail = await client.get(url)
    assert "Gold" in detail.text and "AI, CRM" in detail.text and "1,200.50" in detail.text
    assert "<dt>VIP</dt>\n<dd>Yes</dd>" in detail.text

    listed = await client.get(base)
    assert "Tier</th>" not in listed.text  # custom columns are optional
    saved = await post_form(client, f"/t/{tenant.slug}/lists/contacts/columns", f"/t/{tenant.slug}/lists/contacts/columns",
                            {"show-cf.tier": "1", "position-cf.tier": "1", "show-email": "1", "position-email": "2"})  # fmt: skip
    assert saved.status_code == 303
    listed = await client.get(base)
    assert (
        '<th scope="col">Tier</th>' in listed.text
        and '<td data-label="Tier">Gold' in listed.text
        and '<th scope="col">Phone</th>' not in listed.text
    )
    assert listed.text.index("Tier</th>") < listed.text.index(">E-mail</a>")
    assert 'name="cf.score.min"' in listed.text  # typed filters
    assert "Ann" in (await client.get(f"{base}?cf.tier=gold")).text
    assert "Ann" not in (await client.get(f"{base}?cf.tier=silver")).text
    assert (await client.get(f"{base}?cf.nope=1")).status_code == 400

    edit = await client.get(f"{url}/edit")
    assert 'value="gold" selected' in edit.text
    changed = await post_form(
        client, f"{url}/edit", f"{url}/edit", {"first_name": "Ann", "custom-tier": "silver", "version": "1"}
    )
    assert changed.status_code == 303
    history = await client.get(url)
    assert '<th scope="row" data-label="Field">Tier</th>' in history.text
    assert "Silver" in history.text


async def test_labels_render_escaped(client, tenant) -> None:
    admin = await make_member(tenant)
    evil = "<img src=x onerror=alert(1)>"
    await add_field(
        tenant, admin, key="evil", type="select", label=evil, options=[{"key": "a", "label": evil}]
    )
    await sign_in(client, admin)
    for path in ("contacts/new", "contacts/", "lists/contacts/columns"):
        page = await client.get(f"/t/{tenant.slug}/{path}")
        assert page.status_code == 200 and evil not in page.text and "&lt;img src=x" in page.text, path
