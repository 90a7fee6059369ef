"""In a real browser: create a deal, drag it across two stages of the board, move it once more with the keyboard
"Move to…" control, and read the stage history."""

from tests.support.web import make_member


async def test_deal_board_drag_keyboard_and_history(page, live_server, tenant) -> None:
    member = await make_member(tenant)
    await page.goto(f"{live_server}/t/{tenant.slug}/")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/")
    base = f"{live_server}/t/{tenant.slug}"

    await page.click("nav >> text=Deals")
    await page.click("main >> text=New deal")
    await page.fill("#name", "Kanban deal")
    await page.fill("#amount", "1200")
    await page.click("#deal-form button[type=submit]")
    await page.wait_for_selector("h1:has-text('Kanban deal')")
    deal_id = page.url.rstrip("/").split("/")[-1]

    await page.goto(f"{base}/deals/board")
    card = f"#deal-card-{deal_id}"
    columns = page.locator(".kanban-column")
    for target in (1, 2):  # Needs analysis, then Proposal
        stage_id = await columns.nth(target).get_attribute("data-stage-id")
        await page.locator(card).drag_to(columns.nth(target).locator(".kanban-cards"))
        await page.wait_for_selector(
            f".kanban-cards[data-stage-id='{stage_id}'] {card}[data-stage-id='{stage_id}']"
        )
    # The keyboard: focus the card's "Move to…" select, choose Negotiation, press the button.
    negotiation = await columns.nth(3).get_attribute("data-stage-id")
    await page.locator(f"#move-{deal_id}").focus()
    await page.select_option(f"#move-{deal_id}", negotiation)
    await page.locator(f"{card} button[type=submit]").press("Enter")
    await page.wait_for_selector(f"{card}[data-stage-id='{negotiation}']")
    assert "Negotiation" in await page.text_content("#kanban-status")

    await page.goto(f"{base}/deals/{deal_id}")
    history = await page.text_content("#stage-history")
    for step in ("Qualification → Needs analysis", "Needs analysis → Proposal", "Proposal → Negotiation"):
        assert step in history
