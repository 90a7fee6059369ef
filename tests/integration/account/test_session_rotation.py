"""Sessions rotate on privilege change: turning 2FA on or off moves the session to a new id (the old one dies,
the browser keeps working); an admin's role change applies on the member's very next request (the role is
read per request, never cached in the session); switching workspaces needs no new id (the session holds no
workspace, each request checks the membership). Sign-in rotation is in test_two_factor.py (fixation tests),
test_signup_login_http.py and the SSO tests; a password reset ends every session (test_password_reset.py)."""

from __future__ import annotations

from httpx import AsyncClient

from sampark.platform.identity.users import add_membership
from sampark.web.sessions import COOKIE_NAME
from tests.integration.account.helpers import enrol, next_code
from tests.support.web import make_member, post_form, sign_in


async def _alive(client_factory, tenant, session_id: str) -> bool:
    probe: AsyncClient = client_factory()
    probe.cookies.set(COOKIE_NAME, session_id, domain="testserver.local")
    return (await probe.get(f"/t/{tenant.slug}/")).status_code == 200


async def test_turning_2fa_on_and_off_rotates_the_session(tenant, new_client) -> None:
    member = await make_member(tenant)
    browser = new_client()
    await sign_in(browser, member)
    before = browser.cookies.get(COOKIE_NAME)
    assert before and await _alive(new_client, tenant, before)

    secret, _codes = await enrol(browser, member)
    enrolled = browser.cookies.get(COOKIE_NAME)
    assert enrolled and enrolled != before
    assert not await _alive(new_client, tenant, before)  # the id from before the change is dead
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 200  # this browser carries on
    assert "10 recovery codes left" in (await browser.get("/account/security")).text

    done = await post_form(
        browser,
        "/account/security",
        "/account/security/disable",
        {"password": member.password, "code": await next_code(member.id, secret)},
    )
    assert done.status_code == 303
    disabled = browser.cookies.get(COOKIE_NAME)
    assert disabled and disabled not in (before, enrolled)
    assert not await _alive(new_client, tenant, enrolled)
    # The flash written before the rotation travelled with the session to its new id.
    assert "Two-factor authentication is off" in (await browser.get("/account/security")).text


async def test_a_role_change_applies_on_the_next_request_of_the_same_session(tenant, new_client) -> None:
    admin, member = await make_member(tenant, "admin"), await make_member(tenant, "admin")
    admin_browser, member_browser = new_client(), new_client()
    await sign_in(admin_browser, admin)
    await sign_in(member_browser, member)
    users = f"/t/{tenant.slug}/admin/users/"
    assert (await member_browser.get(users)).status_code == 200
    session_before = member_browser.cookies.get(COOKIE_NAME)
    changed = await post_form(admin_browser, users, f"{users}{member.id}/role", {"role": "read-only"})
    assert changed.status_code == 303
    # The member's own session, unchanged, now carries the lower role on its very next request.
    assert (await member_browser.get(users)).status_code == 403
    assert member_browser.cookies.get(COOKIE_NAME) == session_before
    await post_form(admin_browser, users, f"{users}{member.id}/role", {"role": "admin"})
    assert (await member_browser.get(users)).status_code == 200


async def test_one_session_switches_between_workspaces_by_membership(tenant, make_tenant, new_client) -> None:
    other = await make_tenant()
    member = await make_member(tenant, "sales")
    await add_membership(member.id, other.id, "read-only")
    browser = new_client()
    await sign_in(browser, member)
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 200
    assert (await browser.get(f"/t/{other.slug}/")).status_code == 200
    # Each workspace applies its own role to the same session: Sales may create here, Read-only may not there.
    assert (await browser.get(f"/t/{tenant.slug}/contacts/new")).status_code == 200
    assert (await browser.get(f"/t/{other.slug}/contacts/new")).status_code == 403
    third = await make_tenant()
    assert (await browser.get(f"/t/{third.slug}/")).status_code == 404  # not a member there
