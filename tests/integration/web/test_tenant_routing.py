"""The resolver fails closed, and tenant A's pages and API never show tenant B's rows."""

from sampark.platform.tenancy.provisioning import set_status
from tests.support.web import add_contact, make_member, sign_in


async def test_unknown_tenant_answers_404_signed_in_or_not(client, tenant) -> None:
    assert (await client.get("/t/no-such-tenant/")).status_code == 404
    assert (await client.get("/t/no-such-tenant/api/v1/contacts/")).json()["error"]["code"] == "not_found"
    await sign_in(client, await make_member(tenant))
    assert (await client.get("/t/no-such-tenant/")).status_code == 404


async def test_suspended_tenant_answers_404_until_resumed(client, tenant) -> None:
    await sign_in(client, await make_member(tenant))
    assert (await client.get(f"/t/{tenant.slug}/")).status_code == 200
    await set_status(tenant.slug, "suspended")
    assert (await client.get(f"/t/{tenant.slug}/")).status_code == 404
    assert (await client.get(f"/t/{tenant.slug}/api/v1/contacts/")).status_code == 404
    await set_status(tenant.slug, "active")
    assert (await client.get(f"/t/{tenant.slug}/")).status_code == 200


async def test_signed_out_visitor_is_sent_to_login_and_api_gets_401(client, tenant) -> None:
    page = await client.get(f"/t/{tenant.slug}/contacts/")
    assert page.status_code == 303
    assert page.headers["location"] == f"/login?next=/t/{tenant.slug}/contacts/"
    api = await client.get(f"/t/{tenant.slug}/api/v1/contacts/")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "not_authenticated"


async def test_member_of_a_cannot_open_tenant_b(client, make_tenant) -> None:
    a, b = await make_tenant(), await make_tenant()
    await sign_in(client, await make_member(a))
    assert (await client.get(f"/t/{a.slug}/")).status_code == 200
    assert (await client.get(f"/t/{b.slug}/")).status_code == 404
    assert (await client.get(f"/t/{b.slug}/api/v1/contacts/")).status_code == 404


async def test_tenant_a_given_b_ids_answers_404(client, make_tenant) -> None:
    a, b = await make_tenant(), await make_tenant()
    member_a, member_b = await make_member(a), await make_member(b)
    mine = await add_contact(a, member_a, "Asha")
    theirs = await add_contact(b, member_b, "Bruno")
    await add_contact(
        b, member_b, "Beatriz"
    )  # B has more rows than A, so B's ids cannot exist in A by accident
    theirs_too = await add_contact(b, member_b, "Bilal")
    await sign_in(client, member_a)
    assert (await client.get(f"/t/{a.slug}/contacts/{mine}")).status_code == 200
    for other in (theirs_too,):
        assert (await client.get(f"/t/{a.slug}/contacts/{other}")).status_code == 404
        response = await client.get(f"/t/{a.slug}/api/v1/contacts/{other}")
        assert response.status_code == 404
        assert response.json() == {"error": {"code": "not_found", "message": "Not Found"}}
    listing = (await client.get(f"/t/{a.slug}/api/v1/contacts/")).json()
    assert [item["first_name"] for item in listing["items"]] == ["Asha"]
    assert "Bruno" not in (await client.get(f"/t/{a.slug}/contacts/")).text
    assert theirs != mine or a.schema_name != b.schema_name


async def test_contact_list_pages_with_a_cursor(client, tenant) -> None:
    member = await make_member(tenant)
    for index in range(30):
        await add_contact(tenant, member, f"Person {index:02d}")
    await sign_in(client, member)
    first = (await client.get(f"/t/{tenant.slug}/api/v1/contacts/", params={"limit": 20})).json()
    second = (
        await client.get(
            f"/t/{tenant.slug}/api/v1/contacts/", params={"limit": 20, "cursor": first["next_cursor"]}
        )
    ).json()
    names = [item["first_name"] for item in first["items"] + second["items"]]
    assert names == [f"Person {index:02d}" for index in range(30)]
    assert second["next_cursor"] is None
    fragment = await client.get(
        f"/t/{tenant.slug}/contacts/", params={"after": first["next_cursor"]}, headers={"HX-Request": "true"}
    )
    assert "<html" not in fragment.text and "Person 29" in fragment.text
    assert fragment.headers["vary"] == "HX-Request"


async def test_bad_api_input_answers_400_json(client, tenant) -> None:
    await sign_in(client, await make_member(tenant))
    response = await client.get(f"/t/{tenant.slug}/api/v1/contacts/", params={"limit": 100000})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert (await client.get(f"/t/{tenant.slug}/api/v1/contacts/not-a-number")).status_code == 404
