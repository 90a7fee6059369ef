"""Right-to-left and non-Latin pages in headless Chromium: an Arabic user's pages mirror, a Hindi user's read
in Hindi. Screenshots land in test-artifacts/ (one per test, from the ``page`` fixture)."""

from __future__ import annotations

from typing import Any

from sampark.platform.identity.tables import User
from sampark.platform.tenancy.context import TenantRecord
from tests.support.web import Member, add_contact, make_member


async def member_speaking(tenant: TenantRecord, locale: str) -> Member:
    member = await make_member(tenant, "admin")
    await User.update({User.locale: locale}).where(User.id == member.id)
    return member


async def log_in(page: Any, live_server: str, member: Member, target: str) -> None:
    await page.goto(f"{live_server}/login?next={target}")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{live_server}{target}")


async def direction(page: Any, selector: str) -> str:
    return str(await page.eval_on_selector(selector, "element => getComputedStyle(element).direction"))


async def test_an_arabic_users_pages_run_right_to_left(
    page: Any, live_server: str, tenant: TenantRecord
) -> None:
    member = await member_speaking(tenant, "ar")
    await add_contact(tenant, member, "ليلى")
    await add_contact(tenant, member, "Omar")
    home = f"/t/{tenant.slug}/"
    await log_in(page, live_server, member, home)

    assert await page.get_attribute("html", "lang") == "ar"
    assert await page.get_attribute("html", "dir") == "rtl"
    assert await direction(page, "body") == "rtl"
    assert await direction(page, ".nav") == "rtl"
    # The navigation starts at the right: the brand sits in the right half, right of the first nav link.
    width = await page.evaluate("() => document.documentElement.clientWidth")
    brand = await page.locator(".brand").bounding_box()
    first_link = await page.locator(".nav-links a").first.bounding_box()
    assert brand["x"] > width / 2
    assert first_link["x"] + first_link["width"] <= brand["x"]
    assert "جهات الاتصال" in await page.text_content(".nav-links")

    await page.goto(f"{live_server}/t/{tenant.slug}/contacts/")
    assert await page.get_attribute("html", "dir") == "rtl"
    assert await direction(page, "table") == "rtl"
    # The first column (the name) is the rightmost one.
    headers = page.locator("thead th")
    first, second = await headers.nth(0).bounding_box(), await headers.nth(1).bounding_box()
    assert first["x"] > second["x"]
    assert "ليلى" in await page.text_content("tbody")


async def test_a_hindi_users_page_reads_in_hindi(page: Any, live_server: str, tenant: TenantRecord) -> None:
    member = await member_speaking(tenant, "hi")
    home = f"/t/{tenant.slug}/"
    await log_in(page, live_server, member, home)
    assert await page.get_attribute("html", "lang") == "hi"
    assert await page.get_attribute("html", "dir") == "ltr"
    nav = await page.text_content(".nav-links")
    assert "संपर्क" in nav
    assert await page.text_content(".skip-link") == "सामग्री पर जाएँ"


async def test_the_switcher_changes_the_language_in_the_browser(
    page: Any, live_server: str, tenant: TenantRecord
) -> None:
    await page.goto(f"{live_server}/login")
    await page.select_option("#locale-switcher", "ar")
    await page.click(".locale-switcher button[type=submit]")
    await page.wait_for_url(f"{live_server}/login")
    assert await page.get_attribute("html", "dir") == "rtl"
    await page.select_option("#locale-switcher", "ja")
    await page.click(".locale-switcher button[type=submit]")
    await page.wait_for_url(f"{live_server}/login")
    assert await page.get_attribute("html", "lang") == "ja"
    assert await page.get_attribute("html", "dir") == "ltr"


async def test_an_arabic_admin_edits_region_settings_right_to_left(
    page: Any, live_server: str, tenant: TenantRecord
) -> None:
    member = await member_speaking(tenant, "ar")
    settings = f"/t/{tenant.slug}/settings/region"
    await log_in(page, live_server, member, settings)
    assert await page.get_attribute("html", "dir") == "rtl"
    await page.fill("#dsar_deadline", "45")  # 45 months: the EU allows at most one month
    await page.click("#region-form button[type=submit]")
    await page.wait_for_selector("#dsar_deadline-error")
    assert "القانون" in await page.text_content("#dsar_deadline-error")
    assert await page.get_attribute("#dsar_deadline", "aria-invalid") == "true"
    await page.fill("#dsar_deadline", "20")
    await page.select_option("select[name=dsar_deadline_unit]", "days")
    await page.click("#region-form button[type=submit]")
    await page.wait_for_selector(".flash-success")
    assert await page.locator("#dsar_deadline-error").count() == 0
    assert await page.input_value("#dsar_deadline") == "20"
    assert await page.input_value("select[name=dsar_deadline_unit]") == "days"
