"""Operators see where each tenant lives, and their audited read-only access works on a placement database."""

from __future__ import annotations

from litestar import Litestar

from tests.integration.operators.support import make_operator, ops_sign_in
from tests.support.web import add_contact, make_member


async def test_console_shows_the_placement_and_reads_an_eu_tenant(
    client, app: Litestar, placed_tenant, direct
) -> None:
    eu = await placed_tenant("eu")
    member = await make_member(eu)
    await add_contact(eu, member, "<script>alert(1)</script>")
    operator = await make_operator(app.state.settings.secret_key)
    await ops_sign_in(client, operator)

    listing = await client.get("/ops/", params={"q": eu.slug})
    assert listing.status_code == 200 and "Placement" in listing.text and "eu <span" in listing.text
    page = await client.get(f"/ops/tenants/{eu.slug}")
    assert page.status_code == 200 and "<dd>eu</dd>" in page.text and member.email in page.text
    contacts = await client.get(f"/ops/tenants/{eu.slug}/contacts")
    assert contacts.status_code == 200 and "&lt;script&gt;" in contacts.text
    # The access went to the tenant's own audit log, in the EU database; the operator audit stays home.
    logged = await direct["eu"].fetchval(
        f'SELECT count(*) FROM "{eu.schema_name}".audit_log WHERE object_type = $1', "operator_access"
    )
    assert logged == 2
    assert (
        await direct["home"].fetchval(
            "SELECT count(*) FROM public.operator_audit WHERE tenant_id = $1 AND action = 'tenant.view'",
            eu.id,
        )
        == 2
    )
