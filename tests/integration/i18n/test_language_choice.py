"""Which language a page is served in: user, then team, then tenant, then the browser, then English; the
switcher saves a signed-in user's choice to the account and an anonymous visitor's to a cookie."""

from __future__ import annotations

import re
from typing import Any

from httpx import AsyncClient, Response

from sampark.platform.identity.tables import User
from sampark.platform.tenancy.context import TenantRecord, tenant_context
from sampark.tenants.access.policy import Principal, acting_as
from sampark.tenants.access.tables import Team, TeamMember
from sampark.tenants.settings.services import update_region_settings
from tests.support.web import Member, csrf_token, make_member, post_form, sign_in

_HTML = re.compile(r'<html lang="([^"]+)" dir="([^"]+)">')


def html_attributes(page: Response) -> tuple[str, str]:
    match = _HTML.search(page.text)
    assert match, page.text[:300]
    return match.group(1), match.group(2)


def lang(page: Response) -> str:
    return html_attributes(page)[0]


async def sign_out(client: AsyncClient) -> None:
    await post_form(client, "/login", "/logout", {})


async def fresh_sign_in(client: AsyncClient, member: Member) -> None:
    """A new session: the user's own preferences are read from the account once per session."""
    await sign_out(client)
    await sign_in(client, member)


async def set_tenant_default(tenant: TenantRecord, locale: str) -> None:
    async with tenant_context(slug=tenant.slug):
        with acting_as(Principal.system()):
            await update_region_settings({"default_locale": locale})


async def join_team(tenant: TenantRecord, member: Member, **defaults: Any) -> None:
    async with tenant_context(slug=tenant.slug):
        team = (await Team.insert(Team(name=f"Team {member.id}", **defaults)).returning(Team.id))[0]["id"]
        await TeamMember.insert(TeamMember(team=team, user_id=member.id))


async def test_each_level_overrides_the_next(client: AsyncClient, make_tenant: Any) -> None:
    tenant = await make_tenant("EU")
    member = await make_member(tenant, "sales")
    german = {"Accept-Language": "de-DE,de;q=0.9"}

    # Signed out: the browser's language, else English.
    assert lang(await client.get("/login", headers=german)) == "de"
    assert lang(await client.get("/login", headers={"Accept-Language": "zh-CN"})) == "en"

    await sign_in(client, member)
    home = f"/t/{tenant.slug}/"
    # The tenant's default (the EU preset's English) beats the browser.
    assert lang(await client.get(home, headers=german)) == "en"
    await set_tenant_default(tenant, "fr")
    assert lang(await client.get(home, headers=german)) == "fr"
    # The team's default beats the tenant's.
    await join_team(tenant, member, default_locale="es")
    assert lang(await client.get(home, headers=german)) == "es"
    # The user's own choice beats everything.
    await User.update({User.locale: "ja"}).where(User.id == member.id)
    await fresh_sign_in(client, member)
    assert lang(await client.get(home, headers=german)) == "ja"
    # ... also on pages outside the tenant, once the session knows it.
    assert lang(await client.get("/login", headers=german)) == "ja"


async def test_a_brazilian_tenant_starts_in_portuguese(client: AsyncClient, make_tenant: Any) -> None:
    tenant = await make_tenant("BR")
    member = await make_member(tenant, "admin")
    await sign_in(client, member)
    page = await client.get(f"/t/{tenant.slug}/", headers={"Accept-Language": "en"})
    assert lang(page) == "pt-BR"
    assert "Contatos" in page.text


async def test_switcher_saves_a_signed_in_users_choice(client: AsyncClient, tenant: TenantRecord) -> None:
    member = await make_member(tenant, "admin")
    await sign_in(client, member)
    home = await client.get(f"/t/{tenant.slug}/")
    switched = await client.post(
        "/locale", data={"locale": "hi", "next": f"/t/{tenant.slug}/", "_csrf_token": csrf_token(home)}
    )
    assert switched.status_code == 303 and switched.headers["location"] == f"/t/{tenant.slug}/"
    row = await User.select(User.locale).where(User.id == member.id).first()
    assert row is not None and row["locale"] == "hi"
    page = await client.get(f"/t/{tenant.slug}/")
    assert lang(page) == "hi" and "संपर्क" in page.text
    # Saved to the account: another browser (a fresh client, no cookie) gets it too.
    other = AsyncClient(transport=client._transport, base_url="http://testserver")
    async with other:
        await sign_in(other, member)
        assert lang(await other.get(f"/t/{tenant.slug}/")) == "hi"


async def test_switcher_sets_a_cookie_for_anonymous_visitors(client: AsyncClient) -> None:
    login = await client.get("/login")
    switched = await client.post(
        "/locale", data={"locale": "ar", "next": "/login", "_csrf_token": csrf_token(login)}
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/login"
    assert client.cookies.get("sampark_locale") == "ar"
    assert html_attributes(await client.get("/login", headers={"Accept-Language": "de"})) == ("ar", "rtl")


async def test_switcher_refuses_unknown_languages_and_foreign_redirects(client: AsyncClient) -> None:
    login = await client.get("/login")
    token = csrf_token(login)
    refused = await client.post("/locale", data={"locale": "tlh", "next": "/login", "_csrf_token": token})
    assert refused.status_code == 303 and client.cookies.get("sampark_locale") is None
    offsite = await client.post(
        "/locale", data={"locale": "de", "next": "//evil.example/", "_csrf_token": token}
    )
    assert offsite.headers["location"] == "/"


async def test_arabic_pages_are_right_to_left(client: AsyncClient, tenant: TenantRecord) -> None:
    member = await make_member(tenant, "admin")
    await User.update({User.locale: "ar"}).where(User.id == member.id)
    await sign_in(client, member)
    for path in (f"/t/{tenant.slug}/", f"/t/{tenant.slug}/contacts/"):
        page = await client.get(path)
        assert page.status_code == 200
        assert '<html lang="ar" dir="rtl">' in page.text
        assert "جهات الاتصال" in page.text
