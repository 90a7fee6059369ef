"""Sign-up and login over HTTP: validation, session rotation, rate limiting, logs without secrets."""

import secrets

from httpx import ASGITransport, AsyncClient

from sampark.platform.tenancy.provisioning import drop_tenant, get_tenant
from sampark.web.app import create_app
from sampark.web.sessions import COOKIE_NAME
from tests.support.web import make_member, post_form, sign_in


def _signup_data(slug: str) -> dict[str, str]:
    return {
        "company_name": "Acme Exports",
        "slug": slug,
        "region": "IN",
        "admin_name": "Priya Sharma",
        "admin_email": f"priya-{slug}@example.com",
        "password": "a much longer passphrase 7",
    }


async def test_signup_creates_the_tenant_and_lands_signed_in(client) -> None:
    slug = f"acme-{secrets.token_hex(3)}"
    response = await post_form(client, "/signup", "/signup", _signup_data(slug))
    assert response.status_code == 303
    assert response.headers["location"] == f"/t/{slug}/"
    home = await client.get(f"/t/{slug}/")
    assert home.status_code == 200
    assert "Acme Exports" in home.text and "Welcome to Sampark, Priya Sharma." in home.text
    tenant = await get_tenant(slug)
    assert tenant is not None and tenant.region == "IN"
    await drop_tenant(slug)


async def test_signup_shows_every_error_inline_and_keeps_input(client) -> None:
    data = {**_signup_data("Bad Slug!"), "admin_email": "not-an-email", "password": "short", "region": "XX"}
    response = await post_form(client, "/signup", "/signup", data)
    assert response.status_code == 400
    for field in ("slug", "admin_email", "password", "region"):
        assert f'id="{field}-error"' in response.text
    assert 'value="Acme Exports"' in response.text
    assert "short" not in response.text.split('id="password"')[1].split(">")[0]


async def test_signup_escapes_script_in_names(client) -> None:
    data = {**_signup_data("x"), "company_name": "<script>alert(1)</script>"}
    response = await post_form(client, "/signup", "/signup", data)
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


async def test_login_rotates_the_session_and_logout_ends_it(client, tenant) -> None:
    member = await make_member(tenant)
    await client.get("/login")
    await sign_in(client, member)
    first = client.cookies.get(COOKIE_NAME)
    assert first
    await sign_in(client, member)
    second = client.cookies.get(COOKIE_NAME)
    assert second and second != first
    # The old session id is dead: presenting it again is an anonymous visit.
    async with AsyncClient(
        transport=client._transport, base_url="http://testserver", cookies={COOKIE_NAME: first}
    ) as stale:
        assert (await stale.get(f"/t/{tenant.slug}/")).status_code == 303
    await post_form(client, f"/t/{tenant.slug}/", "/logout", {})
    assert (await client.get(f"/t/{tenant.slug}/")).status_code == 303


async def test_wrong_password_is_refused_without_saying_which_part(client, tenant) -> None:
    member = await make_member(tenant)
    wrong = await post_form(client, "/login", "/login", {"email": member.email, "password": "nope nope nope"})
    unknown = await post_form(
        client, "/login", "/login", {"email": "nobody@example.com", "password": "x" * 12}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert "do not match an account" in wrong.text and "do not match an account" in unknown.text


async def test_next_parameter_only_allows_local_paths(client, tenant) -> None:
    member = await make_member(tenant)
    data = {"email": member.email, "password": member.password}
    evil = await post_form(client, "/login", "/login", {**data, "next": "//evil.example/"})
    assert evil.headers["location"] == "/"
    good = await post_form(client, "/login", "/login", {**data, "next": f"/t/{tenant.slug}/contacts/"})
    assert good.headers["location"] == f"/t/{tenant.slug}/contacts/"


async def test_login_is_rate_limited(database, tenant) -> None:
    member = await make_member(tenant)
    app = create_app(database.with_overrides(login_attempts_per_minute=3))
    # A client address of its own, so other tests' sign-ins do not count against this one's limit.
    transport = ASGITransport(
        app=app, client=(f"10.9.{secrets.randbelow(250)}.{secrets.randbelow(250)}", 1234)
    )
    async with app.lifespan(), AsyncClient(transport=transport, base_url="http://t") as http:
        statuses = []
        for _ in range(4):
            response = await post_form(
                http, "/login", "/login", {"email": member.email, "password": "wrong pw 123"}
            )
            statuses.append(response.status_code)
        assert statuses == [400, 400, 400, 429]
        blocked = await post_form(
            http, "/login", "/login", {"email": member.email, "password": member.password}
        )
        assert blocked.status_code == 429 and "Retry-After" in blocked.headers
