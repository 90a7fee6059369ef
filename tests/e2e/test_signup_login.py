"""Sign-up and login, passing and failing, in headless Chromium."""

import secrets

from sampark.platform.tenancy.provisioning import drop_tenant
from tests.support.web import make_member


async def test_signup_passes_and_lands_signed_in(page, live_server) -> None:
    slug = f"globex-{secrets.token_hex(3)}"
    await page.goto(f"{live_server}/signup")
    await page.fill("#company_name", "Globex Ltda")
    await page.fill("#slug", slug)
    await page.select_option("#region", "BR")
    await page.fill("#admin_name", "Ana Souza")
    await page.fill("#admin_email", f"ana-{slug}@example.com")
    await page.fill("#password", "uma senha bem longa 2026")
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{slug}/")
    assert await page.text_content("h1") == "Globex Ltda"
    assert "Welcome to Sampark, Ana Souza." in await page.text_content(".flashes")
    await drop_tenant(slug)


async def test_signup_fails_with_inline_errors_and_keeps_input(page, live_server) -> None:
    await page.goto(f"{live_server}/signup")
    await page.fill("#company_name", "Initech")
    await page.fill("#slug", "x")
    await page.fill("#admin_name", "Peter")
    await page.fill("#admin_email", "peter@")
    await page.fill("#password", "short")
    await page.click("button[type=submit]")
    await page.wait_for_selector(".error-summary")
    assert page.url == f"{live_server}/signup"
    for field in ("slug", "region", "admin_email", "password"):
        assert await page.is_visible(f"#{field}-error"), field
        assert await page.get_attribute(f"#{field}", "aria-invalid") == "true"
    assert await page.input_value("#company_name") == "Initech"
    assert await page.input_value("#password") == ""


async def test_login_passes_and_logout_ends_the_session(page, live_server, tenant) -> None:
    member = await make_member(tenant)
    await page.goto(f"{live_server}/t/{tenant.slug}/contacts/")
    await page.wait_for_url(f"{live_server}/login?next=/t/{tenant.slug}/contacts/")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/contacts/")
    assert "No contacts yet." in await page.text_content("main")
    await page.click("text=Sign out")
    await page.wait_for_url(f"{live_server}/login")
    await page.goto(f"{live_server}/t/{tenant.slug}/")
    assert page.url.startswith(f"{live_server}/login")


async def test_login_fails_with_a_wrong_password(page, live_server, tenant) -> None:
    member = await make_member(tenant)
    await page.goto(f"{live_server}/login")
    await page.fill("#email", member.email)
    await page.fill("#password", "not the password")
    await page.click("#login-form button[type=submit]")
    await page.wait_for_selector(".error-summary")
    assert "do not match an account" in await page.text_content(".error-summary")
    assert await page.input_value("#email") == member.email


async def test_pages_fit_a_phone_screen(page, live_server) -> None:
    await page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/signup", "/login"):
        await page.goto(f"{live_server}{path}")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
