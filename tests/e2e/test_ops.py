"""The operator console in headless Chromium: enrol TOTP, save the recovery codes, sign in with one of them;
the account and operators pages fit a phone."""

from __future__ import annotations

import time

from sampark.platform.identity import totp
from tests.integration.operators.support import PASSWORD, make_operator


async def test_enrol_save_codes_and_sign_in_with_one(page, live_server, database) -> None:
    operator = await make_operator(database.secret_key, enrolled=False)
    await page.set_viewport_size({"width": 360, "height": 740})
    await page.goto(f"{live_server}/ops/login")
    await page.fill("#email", operator.email)
    await page.fill("#password", PASSWORD)
    await page.click("form button[type=submit]")
    await page.wait_for_url(f"{live_server}/ops/login/enrol")
    secret = (await page.text_content("#totp-secret") or "").replace(" ", "").strip()
    await page.fill("#code", totp.code_at(totp.decode_secret(secret), time.time()))
    await page.click("#ops-enrol-form button[type=submit]")
    await page.wait_for_selector("#recovery-codes")
    codes = [code.strip() for code in await page.locator("#recovery-codes li code").all_text_contents()]
    assert len(codes) == 10
    await page.check("#saved")
    await page.click("#ops-codes-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/ops/")

    await page.click(".nav-user button[type=submit]")  # sign out
    await page.wait_for_url(f"{live_server}/ops/login")
    await page.fill("#email", operator.email)
    await page.fill("#password", PASSWORD)
    await page.click("form button[type=submit]")
    await page.wait_for_url(f"{live_server}/ops/login/2fa")
    await page.fill("#code", codes[3])
    await page.click("#ops-2fa-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/ops/")
    await page.wait_for_selector("text=Recovery codes left: 9")

    for path in ("/ops/", "/ops/account", "/ops/operators"):
        await page.goto(f"{live_server}{path}")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    assert await page.text_content("#operator-list") is not None  # an admin (the test default) sees operators
