"""In a real browser: an admin adds a choice field, fills it in on a contact, shows it as a list column, filters
by it and saves the list as a view; the new pages fit a phone screen."""

from tests.e2e.test_crm import _sign_in


async def test_add_field_fill_it_column_filter_and_view(page, live_server, tenant) -> None:
    await _sign_in(page, live_server, tenant)
    base = f"{live_server}/t/{tenant.slug}"
    await page.goto(f"{base}/admin/fields/")
    await page.click("#fields-contacts ~ p >> text=Add a field")
    await page.fill("#label", "Tier")
    await page.fill("#key", "tier")
    await page.select_option("#type", "select")
    await page.fill("#options", "gold = Gold\nsilver = Silver")
    await page.click("main form button[type=submit]")
    await page.wait_for_selector("text=The field Tier was added.")

    await page.goto(f"{base}/contacts/new")
    await page.fill("#first_name", "Selina")
    await page.select_option("#custom-tier", "gold")
    await page.click("#contact-form button[value=save] >> nth=0")
    await page.wait_for_selector("h1:has-text('Selina')")
    assert "Gold" in await page.text_content("main .details")

    await page.goto(f"{base}/lists/contacts/columns")
    await page.check("input[name='show-cf.tier']")
    await page.fill("input[name='position-cf.tier']", "1")
    await page.click("main form button[type=submit]")
    await page.wait_for_url(f"{base}/contacts/")
    assert await page.text_content("td[data-label='Tier']") == "Gold"

    await page.select_option("#filter-cf-tier", "silver")
    await page.click("form[role=search] button[type=submit]")
    await page.wait_for_selector("text=No contacts match these filters.")
    await page.select_option("#filter-cf-tier", "gold")
    await page.click("form[role=search] button[type=submit]")
    await page.wait_for_selector("td[data-label='Tier']")

    await page.click("summary >> text=Save as view")
    await page.fill("#view-name", "Gold club")
    await page.click("text=Save view")
    await page.wait_for_selector("text=The view Gold club was saved.")
    assert "Gold club" in await page.text_content("#view-picker")


async def test_custom_field_pages_fit_a_phone_screen(page, live_server, tenant) -> None:
    await _sign_in(page, live_server, tenant)
    await page.set_viewport_size({"width": 360, "height": 740})
    base = f"/t/{tenant.slug}"
    for path in ("/admin/fields/", "/admin/fields/new", "/lists/contacts/columns", "/contacts/"):
        await page.goto(f"{live_server}{base}{path}")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
