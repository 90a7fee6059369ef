"""In a real browser: create a company and a contact at it, edit the contact, read its history, find it from the
header search box; the CRM pages fit a phone screen."""

from tests.support.web import make_member


async def _sign_in(page, live_server, tenant) -> None:
    member = await make_member(tenant)
    await page.goto(f"{live_server}/t/{tenant.slug}/")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/")


async def test_company_contact_edit_history_and_search(page, live_server, tenant) -> None:
    await _sign_in(page, live_server, tenant)
    base = f"{live_server}/t/{tenant.slug}"
    # The home page loads the companies card through htmx.
    await page.wait_for_selector(".cards >> text=companies")

    await page.click("nav >> text=Companies")
    await page.click("text=New company")
    await page.fill("#name", "Wayne Enterprises")
    await page.fill("#domain", "https://www.wayne.example/")
    await page.select_option("#size", "5001+")
    await page.click("#company-form button[value=save] >> nth=0")
    await page.wait_for_selector("h1:has-text('Wayne Enterprises')")
    assert "wayne.example" in await page.text_content("main")

    await page.click("text=Add a contact here")
    assert await page.input_value("#company_id") != ""
    await page.fill("#first_name", "Lucius")
    await page.fill("#last_name", "Fox")
    await page.fill("#emails-0", "lucius.fox@wayne.example")
    await page.select_option("#phone_region", "US")
    await page.fill("#phones-0", "(415) 555-0142")
    await page.click("#contact-form button[value=save] >> nth=0")
    await page.wait_for_selector("h1:has-text('Lucius Fox')")
    main = await page.text_content("main")
    assert "+14155550142" in main and "Wayne Enterprises" in main
    contact_url = page.url

    await page.click("main >> text=Edit")
    await page.select_option("#lifecycle_stage", "customer")
    await page.fill("#last_name", "Fox Sr.")
    await page.click("#contact-form button[value=save] >> nth=0")
    await page.wait_for_selector("h1:has-text('Lucius Fox Sr.')")
    history = await page.text_content("#history")
    assert "Changed" in history and "Created" in history
    assert "Fox Sr." in history and "Customer" in history

    await page.fill("#header-search", "luc fox")
    await page.press("#header-search", "Enter")
    await page.wait_for_url(f"{base}/search?q=luc+fox")
    await page.click("#search-results >> text=Lucius Fox Sr.")
    await page.wait_for_url(contact_url)


async def test_crm_pages_fit_a_phone_screen(page, live_server, tenant) -> None:
    await _sign_in(page, live_server, tenant)
    await page.set_viewport_size({"width": 360, "height": 740})
    base = f"/t/{tenant.slug}"
    for path in ("/contacts/", "/contacts/new", "/companies/", "/companies/new", "/search?q=x"):
        await page.goto(f"{live_server}{base}{path}")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
