"""In a real browser: add a lead, convert it into a contact, a company and a deal, follow the result links;
the lead pages fit a phone screen."""

from tests.support.web import make_member


async def _sign_in(page, live_server, tenant) -> None:
    member = await make_member(tenant)
    await page.goto(f"{live_server}/t/{tenant.slug}/")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/")


async def test_add_and_convert_a_lead(page, live_server, tenant) -> None:
    await _sign_in(page, live_server, tenant)
    await page.click("nav >> text=Leads")
    await page.click("text=New lead")
    await page.fill("#first_name", "Selina")
    await page.fill("#last_name", "Kyle")
    await page.fill("#company_name", "Kyle Security")
    await page.fill("#website", "kyle-security.example")
    await page.fill("#emails", "selina@kyle-security.example")
    await page.click("#lead-form button[type=submit]")
    await page.wait_for_selector("h1:has-text('Selina Kyle')")

    await page.click("main >> text=Convert")
    await page.wait_for_selector("h1:has-text('Convert Selina Kyle')")
    assert await page.is_checked("input[name=company_mode][value=new]")
    await page.check("input[name=create_deal]")
    await page.fill("#deal-amount", "2500")
    await page.click(".convert-form button[type=submit]")
    await page.wait_for_selector("h1:has-text('Selina Kyle was converted')")
    await page.click(".convert-result >> text=Kyle Security")
    await page.wait_for_selector("h1:has-text('Kyle Security')")
    await page.go_back()
    await page.click(".convert-result >> text=Selina Kyle")
    await page.wait_for_selector("h1:has-text('Selina Kyle')")
    assert "/contacts/" in page.url


async def test_lead_pages_fit_a_phone_screen(page, live_server, tenant) -> None:
    await _sign_in(page, live_server, tenant)
    await page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/leads/", "/leads/new"):
        await page.goto(f"{live_server}/t/{tenant.slug}{path}")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
