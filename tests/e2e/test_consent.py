"""In a real browser: record a grant and then a withdrawal from a contact page's consent section (htmx)."""

from tests.support.web import add_contact, make_member


async def test_record_a_grant_and_a_withdrawal(page, live_server, tenant) -> None:
    member = await make_member(tenant)
    contact_id = await add_contact(tenant, member, "Greta")
    await page.goto(f"{live_server}/t/{tenant.slug}/")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/")

    await page.goto(f"{live_server}/t/{tenant.slug}/contacts/{contact_id}")
    section = "#consent-section"
    await page.wait_for_selector(f"{section} >> text=No consent has been recorded for this contact yet.")

    # A grant without evidence is refused in place (a 400 swapped in by consent.js).
    await page.select_option("#consent-purpose", "sms_marketing")
    await page.select_option("#consent-action", "grant")
    await page.select_option("#consent-lawful_basis", "consent")
    await page.select_option("#consent-source", "form")
    await page.click(f"{section} button[type=submit]")
    await page.wait_for_selector(f"{section} >> text=Say what the contact agreed to and how")

    await page.fill("#consent-evidence", "Ticked <newsletter> on the website form")
    await page.click(f"{section} button[type=submit]")
    await page.wait_for_selector(f"{section} >> text=Consent for SMS marketing was recorded as granted.")
    row = await page.text_content(f"{section} tr[data-purpose=sms_marketing]")
    assert "Granted" in row and "Yes" in row

    await page.select_option("#consent-purpose", "sms_marketing")
    await page.select_option("#consent-action", "withdraw")
    await page.select_option("#consent-lawful_basis", "")
    await page.select_option("#consent-source", "email")
    await page.fill("#consent-evidence", "Replied to say stop")
    await page.click(f"{section} button[type=submit]")
    await page.wait_for_selector(f"{section} >> text=Consent for SMS marketing was recorded as withdrawn.")
    row = await page.text_content(f"{section} tr[data-purpose=sms_marketing]")
    assert "Withdrawn" in row and "No" in row
    history = await page.text_content(f"{section} .consent-history")
    assert "Ticked <newsletter> on the website form" in history and "Replied to say stop" in history

    # At phone width the section fits the screen (tables fold into one block per row).
    await page.set_viewport_size({"width": 375, "height": 800})
    await page.goto(f"{live_server}/t/{tenant.slug}/contacts/{contact_id}/consent/")
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
