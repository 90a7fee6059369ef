"""Two-factor sign-in: enrolment, codes that pass and fail, replay, recovery codes, fixation, tenant policy."""

from __future__ import annotations

from sampark.platform.identity.login_audit import AuthEvent
from sampark.platform.identity.tables import User
from sampark.platform.identity.two_factor import RecoveryCode
from sampark.web.sessions import COOKIE_NAME
from tests.integration.account.helpers import enrol, next_code, password_step, second_step, sign_in_2fa
from tests.support.web import csrf_token, make_member, post_form, sign_in


async def _events(user_id: int) -> list[str]:
    rows = await AuthEvent.select(AuthEvent.event).where(AuthEvent.user_id == user_id).order_by(AuthEvent.id)
    return [row["event"] for row in rows]


async def test_enrolment_shows_the_secret_once_and_stores_it_sealed(tenant, new_client) -> None:
    member = await make_member(tenant)
    browser = new_client()
    await sign_in(browser, member)
    start = await browser.get("/account/security")
    assert start.status_code == 200 and 'id="enrol-form"' in start.text
    secret, codes = await enrol(browser, member)
    row = await User.select(User.totp_secret, User.totp_enabled_at).where(User.id == member.id).first()
    assert row["totp_enabled_at"] is not None
    assert secret not in row["totp_secret"] and row["totp_secret"].startswith("v1.")
    stored = await RecoveryCode.select(RecoveryCode.code_hash).where(RecoveryCode.user == member.id)
    assert len(stored) == 10 and not any(code in str(stored) for code in codes)
    page = await browser.get("/account/security")
    assert "10 recovery codes left" in page.text and secret not in page.text.replace(" ", "")
    assert "2fa_enabled" in await _events(member.id)


async def test_a_wrong_confirmation_code_leaves_2fa_off(tenant, new_client) -> None:
    member = await make_member(tenant)
    browser = new_client()
    await sign_in(browser, member)
    await post_form(browser, "/account/security", "/account/security/enrol", {})
    refused = await post_form(browser, "/account/security", "/account/security/confirm", {"code": "000000"})
    assert refused.status_code == 400 and 'id="code-error"' in refused.text
    assert (await User.select(User.totp_enabled_at).where(User.id == member.id).first())[
        "totp_enabled_at"
    ] is None


async def test_login_needs_the_code_after_the_password(tenant, new_client) -> None:
    member = await make_member(tenant)
    setup = new_client()
    await sign_in(setup, member)
    secret, _codes = await enrol(setup, member)

    browser = new_client()
    first = await password_step(browser, member, f"/t/{tenant.slug}/contacts/")
    assert first.headers["location"] == "/login/2fa"
    half = browser.cookies.get(COOKIE_NAME)
    # Half signed in: nothing but the second step is open.
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 303
    assert (await browser.get("/account/security")).status_code == 303
    wrong = await second_step(browser, "123456")
    assert wrong.status_code == 400 and "not valid" in wrong.text
    done = await second_step(browser, await next_code(member.id, secret))
    assert done.status_code == 303 and done.headers["location"] == f"/t/{tenant.slug}/contacts/"
    assert browser.cookies.get(COOKIE_NAME) != half  # rotated on the privilege change
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 200
    stale = new_client()
    stale.cookies.set(COOKIE_NAME, half, domain="testserver.local")
    assert (await stale.get("/login/2fa")).status_code == 303  # the half-signed id died
    events = await _events(member.id)
    assert "login_2fa_failed" in events and events[-1] == "login"


async def test_a_code_is_never_accepted_twice(tenant, new_client) -> None:
    member = await make_member(tenant)
    setup = new_client()
    await sign_in(setup, member)
    secret, _codes = await enrol(setup, member)
    code = await next_code(member.id, secret)
    first = new_client()
    await password_step(first, member)
    assert (await second_step(first, code)).status_code == 303
    replay = new_client()
    await password_step(replay, member)
    refused = await second_step(replay, code)
    assert refused.status_code == 400
    assert (await replay.get(f"/t/{tenant.slug}/")).status_code == 303


async def test_a_recovery_code_works_once(tenant, new_client) -> None:
    member = await make_member(tenant)
    setup = new_client()
    await sign_in(setup, member)
    _secret, codes = await enrol(setup, member)
    browser = new_client()
    await password_step(browser, member)
    done = await second_step(browser, codes[3].upper())
    assert done.status_code == 303
    assert "9 are left" in (await browser.get(f"/t/{tenant.slug}/")).text  # the flash, on the next page
    again = new_client()
    await password_step(again, member)
    assert (await second_step(again, codes[3])).status_code == 400
    assert "login_recovery_code" in await _events(member.id)


async def test_too_many_wrong_codes_end_the_half_signed_session(tenant, new_client) -> None:
    member = await make_member(tenant)
    setup = new_client()
    await sign_in(setup, member)
    secret, _codes = await enrol(setup, member)
    browser = new_client()
    await password_step(browser, member)
    statuses = [(await second_step(browser, "999999")).status_code for _ in range(5)]
    assert statuses == [400] * 5
    # This sign-in is over: the second step sends the browser back to the password.
    over = await browser.get("/login/2fa")
    assert over.status_code == 303 and over.headers["location"] == "/login"
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 303
    # And the account refuses more codes for a while, whichever session sends them.
    other = new_client()
    await password_step(other, member)
    assert (await second_step(other, await next_code(member.id, secret))).status_code == 429


async def test_session_fixation_a_planted_id_is_dead_after_login(tenant, new_client) -> None:
    victim_member, attacker_member = await make_member(tenant), await make_member(tenant)
    attacker = new_client()
    await sign_in(attacker, attacker_member)
    planted = attacker.cookies.get(COOKIE_NAME)
    assert planted
    victim = new_client()
    victim.cookies.set(COOKIE_NAME, planted, domain="testserver.local")
    await sign_in(victim, victim_member)
    assert victim.cookies.get(COOKIE_NAME) != planted
    assert (await attacker.get(f"/t/{tenant.slug}/")).status_code == 303  # the planted id is dead


async def test_session_fixation_with_2fa_no_id_survives_either_step(tenant, new_client) -> None:
    victim_member, attacker_member = await make_member(tenant), await make_member(tenant)
    setup = new_client()
    await sign_in(setup, victim_member)
    secret, _codes = await enrol(setup, victim_member)
    attacker = new_client()
    await sign_in(attacker, attacker_member)
    planted = attacker.cookies.get(COOKIE_NAME)
    victim = new_client()
    victim.cookies.set(COOKIE_NAME, planted, domain="testserver.local")
    await password_step(victim, victim_member)
    half = victim.cookies.get(COOKIE_NAME)
    assert half and half != planted
    await second_step(victim, await next_code(victim_member.id, secret))
    assert victim.cookies.get(COOKIE_NAME) not in (planted, half)
    for dead in (planted, half):
        probe = new_client()
        probe.cookies.set(COOKIE_NAME, dead, domain="testserver.local")
        assert (await probe.get(f"/t/{tenant.slug}/")).status_code == 303


async def test_disabling_needs_the_password_and_a_code(tenant, new_client) -> None:
    member = await make_member(tenant)
    browser = new_client()
    await sign_in(browser, member)
    secret, _codes = await enrol(browser, member)
    no_code = await post_form(
        browser,
        "/account/security",
        "/account/security/disable",
        {"password": member.password, "code": "000000"},
    )
    assert no_code.status_code == 400 and 'id="code-error"' in no_code.text
    wrong_password = await post_form(
        browser,
        "/account/security",
        "/account/security/disable",
        {"password": "not my password", "code": await next_code(member.id, secret)},
    )
    assert wrong_password.status_code == 400 and 'id="password-error"' in wrong_password.text
    done = await post_form(
        browser,
        "/account/security",
        "/account/security/disable",
        {"password": member.password, "code": await next_code(member.id, secret)},
    )
    assert done.status_code == 303
    assert await RecoveryCode.count().where(RecoveryCode.user == member.id) == 0
    fresh = new_client()
    assert (await password_step(fresh, member)).headers["location"] == "/"


async def test_mandatory_2fa_sends_members_to_enrol_first(tenant, make_tenant, new_client) -> None:
    admin, member = await make_member(tenant, "admin"), await make_member(tenant, "sales")
    admin_browser = new_client()
    await sign_in(admin_browser, admin)
    # An admin without 2FA cannot make it mandatory (they would lock themselves out).
    refused = await post_form(
        admin_browser,
        f"/t/{tenant.slug}/admin/security",
        f"/t/{tenant.slug}/admin/security",
        {"require_2fa": "on"},
    )
    assert refused.status_code == 400
    secret, _codes = await enrol(admin_browser, admin)
    saved = await post_form(
        admin_browser,
        f"/t/{tenant.slug}/admin/security",
        f"/t/{tenant.slug}/admin/security",
        {"require_2fa": "on"},
    )
    assert saved.status_code == 303
    page = await admin_browser.get(f"/t/{tenant.slug}/admin/security")
    assert "checked" in page.text.split('id="require_2fa"')[1].split(">")[0]
    assert "1 member has not turned it on yet" in page.text

    browser = new_client()
    await sign_in(browser, member)
    sent = await browser.get(f"/t/{tenant.slug}/contacts/")
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/account/security?next=/t/{tenant.slug}/contacts/"
    api = await browser.get(f"/t/{tenant.slug}/api/v1/contacts/")
    assert api.status_code == 403 and api.json()["error"]["code"] == "two_factor_required"
    # A non-member learns nothing from the policy: still a plain 404.
    other = await make_tenant()
    outsider = await make_member(other)
    stranger = new_client()
    await sign_in(stranger, outsider)
    assert (await stranger.get(f"/t/{tenant.slug}/")).status_code == 404

    await enrol(browser, member)
    assert (await browser.get(f"/t/{tenant.slug}/contacts/")).status_code == 200
    # With 2FA required, a member cannot turn it off.
    page = await browser.get("/account/security")
    assert 'id="disable-form"' not in page.text
    blocked = await browser.post(
        "/account/security/disable",
        data={"password": member.password, "code": "000000", "_csrf_token": csrf_token(page)},
    )
    assert blocked.status_code == 400
    # And the admin's fresh sign-in goes through the second step too.
    again = new_client()
    await sign_in_2fa(again, admin, secret)
    assert (await again.get(f"/t/{tenant.slug}/")).status_code == 200
