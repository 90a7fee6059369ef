"""The CRM core end to end in a real browser: create a company, a contact and a deal, drag the deal across two
stages, log a call on it, see all of it on the timeline, and find the contact from the header search."""

from tests.support.web import make_member


async def test_company_contact_deal_board_call_timeline_and_search(page, live_server, tenant) -> None:
    member = await make_member(tenant)
    base = f"{live_server}/t/{tenant.slug}"
    await page.goto(f"{base}/")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{base}/")

    # 1. A company, a contact at it, and a deal with both.
    await page.goto(f"{base}/companies/new")
    await page.fill("#name", "Tata Flow Ltd")
    await page.fill("#domain", "tataflow.example")
    await page.click("#company-form button[value=save] >> nth=0")
    await page.wait_for_selector("h1:has-text('Tata Flow Ltd')")
    await page.click("text=Add a contact here")
    await page.fill("#first_name", "Meera")
    await page.fill("#last_name", "Iyer")
    await page.fill("#emails-0", "meera.iyer@tataflow.example")
    await page.click("#contact-form button[value=save] >> nth=0")
    await page.wait_for_selector("h1:has-text('Meera Iyer')")
    contact_url = page.url

    await page.goto(f"{base}/deals/new")
    await page.fill("#name", "Flow renewal")
    await page.fill("#amount", "250000")
    # The pickers search as one types (htmx), as they must with thousands of companies and contacts.
    await page.fill("#company_search", "tata")
    await page.wait_for_selector("#company_id option:has-text('Tata Flow Ltd')", state="attached")
    await page.select_option("#company_id", label="Tata Flow Ltd (tataflow.example)")
    await page.fill("#contact_search", "mee")
    await page.wait_for_selector("#contact_ids option:has-text('Meera Iyer')", state="attached")
    await page.select_option("#contact_ids", label="Meera Iyer")
    await page.click("#deal-form button[type=submit]")
    await page.wait_for_selector("h1:has-text('Flow renewal')")
    deal_url = page.url
    deal_id = deal_url.rstrip("/").split("/")[-1]

    # 2. Drag the deal across two stages of the board.
    await page.goto(f"{base}/deals/board")
    card = f"#deal-card-{deal_id}"
    columns = page.locator(".kanban-column")
    for target in (1, 2):
        stage_id = await columns.nth(target).get_attribute("data-stage-id")
        await page.locator(card).drag_to(columns.nth(target).locator(".kanban-cards"))
        await page.wait_for_selector(f".kanban-cards[data-stage-id='{stage_id}'] {card}")

    # 3. Log a call on the deal, from its timeline.
    await page.goto(deal_url)
    await page.wait_for_selector("#timeline-entries, #timeline .empty")
    await page.click("#timeline summary:has-text('Log a call')")
    await page.fill("#call-subject", "Pricing call with Meera")
    await page.fill("#call-duration_minutes", "25")
    await page.click("#timeline details[open] button[type=submit]")
    await page.wait_for_selector("#timeline-entries >> text=Pricing call with Meera")

    # 4. The timeline shows the call and both stage moves, newest first.
    timeline = await page.text_content("#timeline-entries")
    assert timeline.index("Pricing call with Meera") < timeline.index("Stage changed")
    assert timeline.count("Stage changed") >= 2
    assert "Proposal" in await page.text_content("main")

    # 5. Search finds the contact, and the contact's page leads back to the deal's company.
    await page.fill("#header-search", "meera")
    await page.press("#header-search", "Enter")
    await page.wait_for_url(f"{base}/search?q=meera")
    await page.click("#search-results >> text=Meera Iyer")
    await page.wait_for_url(contact_url)
    assert "Tata Flow Ltd" in await page.text_content("main")
