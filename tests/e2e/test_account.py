"""Account security in headless Chromium: enrol 2FA, sign in with a code; the pages fit a phone."""

from __future__ import annotations

from tests.integration.account.helpers import next_code
from tests.support.web import make_member


async def test_enrol_2fa_and_sign_in_with_a_code(page, live_server, tenant) -> None:
    member = await make_member(tenant)
    await page.goto(f"{live_server}/login")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/")

    await page.click("text=Account")
    await page.wait_for_url(f"{live_server}/account/security")
    await page.click("#enrol-form button[type=submit]")
    secret = (await page.text_content("#totp-secret") or "").replace(" ", "").strip()
    assert len(secret) == 32
    await page.fill("#code", "000000")
    await page.click("#confirm-form button[type=submit]")
    await page.wait_for_selector("#code-error")  # a wrong code is shown inline, nothing changes
    await page.fill("#code", await next_code(member.id, secret))
    await page.click("#confirm-form button[type=submit]")
    await page.wait_for_selector("#recovery-codes")
    assert await page.locator("#recovery-codes li").count() == 10

    await page.click(".nav-user button[type=submit]")  # sign out
    await page.wait_for_url(f"{live_server}/login")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/login/2fa")
    await page.fill("#code", "123456")
    await page.click("#two-factor-form button[type=submit]")
    await page.wait_for_selector(".error-summary")
    await page.fill("#code", await next_code(member.id, secret))
    await page.click("#two-factor-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/")
    assert await page.text_content("h1") == "Test Co"


async def test_account_pages_fit_a_phone_screen(page, live_server, tenant) -> None:
    member = await make_member(tenant)
    await page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/password/forgot", "/password/reset/not-a-token"):
        await page.goto(f"{live_server}{path}")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    await page.goto(f"{live_server}/login")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/")
    await page.goto(f"{live_server}/account/security")
    await page.click("#enrol-form button[type=submit]")  # the long secret and URI must wrap or scroll inside
    for path in (
        "/account/security",
        "/account/sessions",
        "/account/api-keys",
        f"/t/{tenant.slug}/admin/security",
    ):
        await page.goto(f"{live_server}{path}")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
