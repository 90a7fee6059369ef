"""Hindi and Arabic end to end in headless Chromium: choose the language with the switcher, fill a contact form
(a validation error first, shown in that language), move a deal on the board with the keyboard "Move to…"
control, and read the dashboard. Checks lang/dir, right-to-left mirroring, CLDR figures as Babel formats them
for the reader, and that no English source string shows. Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from babel.numbers import format_currency

from sampark.platform.i18n.context import format_locale
from sampark.platform.tenancy.context import TenantRecord
from sampark.tenants.currencies.services import add_rate
from sampark.tenants.deals.services import create_deal
from tests.e2e.conftest import ARTIFACTS
from tests.integration.i18n.test_every_page_translated import _untranslated_sources
from tests.support.web import acting_in, make_member

SCRIPTS = {"hi": re.compile("[\u0900-\u097f]"), "ar": re.compile("[\u0600-\u06ff]")}


async def _leaks(page: Any, sources: list[str]) -> list[str]:
    text = " ".join((await page.inner_text("body")).split())
    return [source for source in sources if source in text]


async def _shot(page: Any, locale: str, step: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"localized-{locale}-{step}.png"), full_page=True)


@pytest.mark.parametrize("locale", ["hi", "ar"])
async def test_contact_form_board_and_dashboard_in_the_readers_language(
    page: Any, live_server: str, tenant: TenantRecord, locale: str
) -> None:
    member = await make_member(tenant)
    async with acting_in(tenant, member):
        await add_rate({"currency": "USD", "rate": "0.5", "valid_from": "2000-01-01"})
        await create_deal({"name": "Big order", "amount": "1234567.50", "currency": "EUR"})
        dollars = await create_deal({"name": "Dollar deal", "amount": "1000", "currency": "USD"})
        await create_deal({"name": "Rupee deal", "amount": "5000", "currency": "INR"})
    sources = _untranslated_sources(locale)
    rtl = locale == "ar"
    base = f"{live_server}/t/{tenant.slug}"

    # The language switcher on the sign-in page (a cookie; the member has saved no language).
    await page.goto(f"{live_server}/login?next=/t/{tenant.slug}/contacts/new")
    await page.select_option("#locale-switcher", locale)
    await page.click(".locale-switcher button[type=submit]")
    await page.wait_for_selector(f"html[lang='{locale}']")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{base}/contacts/new")
    assert await page.get_attribute("html", "lang") == locale
    assert await page.get_attribute("html", "dir") == ("rtl" if rtl else "ltr")

    # A contact form: a bad e-mail first, refused in the reader's language, then fixed.
    await page.fill("#first_name", "Meera" if not rtl else "ليلى")
    await page.fill("#emails-0", "not-an-email")
    await page.click("#contact-form button[value=save]")
    await page.wait_for_selector("#emails-0-error")
    message = await page.text_content("#emails-0-error") or ""
    assert SCRIPTS[locale].search(message), message
    assert await page.get_attribute("#emails-0", "aria-invalid") == "true"
    assert await _leaks(page, sources) == []
    await _shot(page, locale, "1-contact-error")
    await page.fill("#emails-0", "meera@example.com")
    await page.click("#contact-form button[value=save]")
    await page.wait_for_selector("h1:has-text('Meera')" if not rtl else "h1:has-text('ليلى')")

    # The deal board: columns mirror in Arabic, totals are in the base currency, the INR deal has no rate.
    await page.goto(f"{base}/deals/board")
    columns = page.locator(".kanban-column")
    first, second = await columns.nth(0).bounding_box(), await columns.nth(1).bounding_box()
    assert (first["x"] > second["x"]) if rtl else (first["x"] < second["x"])
    head = await columns.nth(0).locator(".kanban-head").inner_text()
    reader = format_locale(locale, "150")
    assert (
        format_currency(Decimal("1235067.50"), "EUR", locale=reader) in head
    )  # 1,234,567.50 € + 1000 $ at 0.5
    assert "INR" in head and SCRIPTS[locale].search(head)
    card = f"#deal-card-{dollars.id}"
    target = await columns.nth(1).get_attribute("data-stage-id")
    await page.locator(f"#move-{dollars.id}").focus()
    await page.select_option(f"#move-{dollars.id}", target)
    await page.locator(f"{card} button[type=submit]").press("Enter")
    await page.wait_for_selector(f".kanban-cards[data-stage-id='{target}'] {card}[data-stage-id='{target}']")
    assert await _leaks(page, sources) == []
    await _shot(page, locale, "2-board")

    # The dashboard: figures formatted for the reader (Indian grouping in Hindi), empty states translated.
    await page.goto(f"{base}/")
    pipeline = await page.inner_text(".dashboard-pipeline")
    assert format_currency(Decimal("1234567.50"), "EUR", locale=reader) in pipeline  # Qualification
    assert format_currency(Decimal("500"), "EUR", locale=reader) in pipeline  # the moved card's stage
    assert format_currency(Decimal("1235067.50"), "EUR", locale=reader) in pipeline  # the total
    if locale == "hi":
        assert "12,34,567.50" in pipeline
    assert SCRIPTS[locale].search(await page.inner_text("#my-tasks"))
    assert await _leaks(page, sources) == []
    table = page.locator(".pipeline-values thead th")
    stage_head, deals_head = await table.nth(0).bounding_box(), await table.nth(1).bounding_box()
    assert (stage_head["x"] > deals_head["x"]) if rtl else (stage_head["x"] < deals_head["x"])
    await _shot(page, locale, "3-dashboard")

    # A phone's width: the dashboard stacks and nothing scrolls sideways.
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{base}/")
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    await _shot(page, locale, "4-dashboard-phone")
