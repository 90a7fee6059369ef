"""Saved views (personal and shared, who may share), keyset pages inside a view, isolation, and the CSV export
with a column per custom field."""

import csv
import io

from sampark.tenants.customfields.views import create_view
from tests.integration.customfields.helpers import TIER, add_field
from tests.support.web import acting_in, add_contact, make_member, post_form, sign_in


async def test_personal_and_shared_views(client, tenant) -> None:
    admin, sales, other = (
        await make_member(tenant),
        await make_member(tenant, "sales"),
        await make_member(tenant, "sales"),
    )
    await add_field(tenant, admin, **TIER)
    async with acting_in(tenant, admin):
        from sampark.tenants.contacts.services import create_contact

        for index in range(30):
            await create_contact({"first_name": f"Gold {index:02d}", "custom": {"tier": "gold"}})
        await create_contact({"first_name": "Plainperson", "custom": {"tier": "silver"}})
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/contacts/"
    saved = await post_form(
        client, base, f"/t/{tenant.slug}/views/",
        {"object": "contacts", "name": "Gold <b>club</b>", "query": "cf.tier=gold&sort=-name", "columns": "cf.tier,email", "shared": "1"},
    )  # fmt: skip
    assert saved.status_code == 303
    view_url = saved.headers["location"]
    page = await client.get(view_url)
    assert (
        "Gold 29" in page.text
        and "Plainperson" not in page.text
        and "Gold &lt;b&gt;club&lt;/b&gt;" in page.text
    )
    assert page.text.index("Gold 29") < page.text.index("Gold 28")  # the view's sort
    more = page.text.split('id="more-row"')[1].split('href="')[1].split('"')[0].replace("&amp;", "&")
    second = await client.get(more)
    assert "Gold 04" in second.text and "Gold 29" not in second.text and "Plainperson" not in second.text
    view_id = int(view_url.split("view=")[1])

    # A sales user sees the shared view (limited to their own records) but cannot change or share one.
    client.cookies.clear()
    await sign_in(client, sales)
    shared = await client.get(view_url)
    assert shared.status_code == 200 and "Gold 01" not in shared.text
    refused = await post_form(client, base, f"/t/{tenant.slug}/views/{view_id}/delete", {})
    assert refused.status_code == 303 and (await client.get(view_url)).status_code == 200
    await post_form(client, base, f"/t/{tenant.slug}/views/",
                    {"object": "contacts", "name": "Mine", "query": "", "columns": "", "shared": "1"})  # fmt: skip
    mine = await post_form(
        client, base, f"/t/{tenant.slug}/views/", {"object": "contacts", "name": "Mine", "query": "tag=x"}
    )
    mine_url = mine.headers["location"]
    assert "Mine" in (await client.get(base)).text
    mine_id = int(mine_url.split("view=")[1])
    assert (
        mine.status_code == 303 and "(shared)" not in (await client.get(mine_url)).text.split("Mine")[1][:30]
    )

    # Personal views are invisible to everyone else.
    client.cookies.clear()
    await sign_in(client, other)
    assert (await client.get(mine_url)).status_code == 404
    assert "Mine" not in (await client.get(base)).text
    assert (await post_form(client, base, f"/t/{tenant.slug}/views/{mine_id}/delete", {})).status_code == 404


async def test_other_tenants_views_answer_404(client, make_tenant) -> None:
    tenant, other = await make_tenant(), await make_tenant()
    owner = await make_member(other)
    async with acting_in(other, owner):
        view = await create_view("contacts", {"name": "Theirs", "shared": True})
    await sign_in(client, await make_member(tenant))
    base = f"/t/{tenant.slug}"
    assert (await client.get(f"{base}/contacts/?view={view.id}")).status_code == 404
    assert (await client.get(f"{base}/companies/?view={view.id}")).status_code == 404
    for action in ("update", "delete"):
        response = await post_form(
            client, f"{base}/contacts/", f"{base}/views/{view.id}/{action}", {"version": "1"}
        )
        assert response.status_code == 404, action
    assert (await client.get(f"{base}/lists/nothing/columns")).status_code == 404


async def test_export_has_a_column_per_custom_field(client, tenant) -> None:
    admin = await make_member(tenant)
    await add_field(tenant, admin, **TIER)
    await add_field(tenant, admin, key="formula", type="text", label="=Formula")
    async with acting_in(tenant, admin):
        from sampark.tenants.contacts.services import create_contact

        await create_contact({"first_name": "Ann", "custom": {"tier": "gold", "formula": "=1+1"}})
    await add_contact(tenant, admin, "Bob")
    await sign_in(client, admin)
    response = await client.get(f"/t/{tenant.slug}/contacts/export.csv?cf.tier=gold")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][-2:] == ["Tier", "'=Formula"]
    assert len(rows) == 2 and rows[1][1] == "Ann" and rows[1][-2:] == ["gold", "'=1+1"]
    assert (await client.get(f"/t/{tenant.slug}/contacts/export.csv?cf.nope=1")).status_code == 400
