"""The sessions page: every live session with where it came from; revoking one stops it at once."""

from __future__ import annotations

import re

from sampark.platform.identity.login_audit import AuthEvent
from tests.support.web import csrf_token, make_member, post_form, sign_in

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
    " Version/17.5 Mobile/15E148 Safari/604.1"
)
_REVOKE = re.compile(r'action="/account/sessions/([0-9a-f]+)/revoke"')


def _handle(html: str) -> str:
    match = _REVOKE.search(html)
    assert match, "no revoke button"
    return match.group(1)


def _rows(page_text: str) -> list[str]:
    body = page_text.split('id="session-list"')[1].split("</table>")[0]
    return body.split("<tr>")[2:]  # after the header row


async def test_sessions_are_listed_with_their_origin_and_this_one_marked(tenant, new_client) -> None:
    member = await make_member(tenant)
    laptop, phone = new_client(FIREFOX_LINUX), new_client(SAFARI_IPHONE)
    await sign_in(laptop, member)
    await sign_in(phone, member)
    page = await laptop.get("/account/sessions")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert len(rows) == 2
    assert "Firefox · Linux" in rows[0] and "session-current" in rows[0]  # the current one comes first
    assert "Safari · iOS" in rows[1] and "session-current" not in rows[1]
    assert re.search(r"10\.\d+\.\d+\.\d+", rows[1])


async def test_revoking_a_session_stops_it_at_once(tenant, new_client) -> None:
    member = await make_member(tenant)
    laptop, phone = new_client("Laptop"), new_client("Phone")
    await sign_in(laptop, member)
    await sign_in(phone, member)
    assert (await phone.get(f"/t/{tenant.slug}/")).status_code == 200
    page = await laptop.get("/account/sessions")
    phone_row = _rows(page.text)[1]
    handle = _handle(phone_row)
    revoked = await laptop.post(f"/account/sessions/{handle}/revoke", data={"_csrf_token": csrf_token(page)})
    assert revoked.status_code == 303
    assert (await phone.get(f"/t/{tenant.slug}/")).status_code == 303  # signed out on its very next request
    assert (await laptop.get(f"/t/{tenant.slug}/")).status_code == 200
    after = await laptop.get("/account/sessions")
    assert len(_rows(after.text)) == 1 and "not signed in anywhere else" in after.text
    assert (
        await AuthEvent.count().where(
            (AuthEvent.user_id == member.id) & (AuthEvent.event == "session_revoked")
        )
        == 1
    )


async def test_a_handle_only_revokes_its_owners_sessions(tenant, new_client) -> None:
    owner, other = await make_member(tenant), await make_member(tenant)
    owner_browser, other_browser = new_client(), new_client()
    await sign_in(owner_browser, owner)
    await sign_in(other_browser, other)
    page = await owner_browser.get("/account/sessions")
    handle = _handle(page.text)
    attempt = await post_form(other_browser, "/account/sessions", f"/account/sessions/{handle}/revoke", {})
    assert attempt.status_code == 303
    assert (await owner_browser.get(f"/t/{tenant.slug}/")).status_code == 200


async def test_sign_out_everywhere_else_keeps_only_this_session(tenant, new_client) -> None:
    member = await make_member(tenant)
    here, *others = [new_client(f"Browser {n}") for n in range(3)]
    for browser in (here, *others):
        await sign_in(browser, member)
    done = await post_form(here, "/account/sessions", "/account/sessions/revoke-others", {})
    assert done.status_code == 303
    for browser in others:
        assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 303
    page = await here.get("/account/sessions")
    assert "Signed out of 2 other sessions." in page.text
    assert len(_rows(page.text)) == 1


async def test_revoking_the_current_session_signs_this_browser_out(tenant, new_client) -> None:
    member = await make_member(tenant)
    browser = new_client()
    await sign_in(browser, member)
    page = await browser.get("/account/sessions")
    handle = _handle(page.text)
    response = await browser.post(
        f"/account/sessions/{handle}/revoke", data={"_csrf_token": csrf_token(page)}
    )
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert (await browser.get("/account/sessions")).status_code == 303


async def test_account_pages_need_a_signed_in_user(new_client) -> None:
    anonymous = new_client()
    for path in ("/account/security", "/account/sessions", "/account/api-keys"):
        response = await anonymous.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
