"""The sign-in audit trail: what is recorded, that no secret is, and what a tenant's admins can read."""

from __future__ import annotations

from sampark.platform.identity.login_audit import AuthEvent, events_for_tenant
from tests.integration.account.helpers import enrol, password_step, second_step
from tests.support.web import make_member, post_form, sign_in


async def test_logins_and_failures_are_recorded_without_secrets(tenant, new_client) -> None:
    member = await make_member(tenant)
    browser = new_client("Audit Browser 1.0")
    wrong_password = "my wrong password 123"
    await post_form(browser, "/login", "/login", {"email": member.email, "password": wrong_password})
    await post_form(
        browser, "/login", "/login", {"email": f"ghost-{member.email}", "password": wrong_password}
    )
    await sign_in(browser, member)
    _secret, _codes = await enrol(browser, member)
    second = new_client()
    await password_step(second, member)
    await second_step(second, "000000")
    rows = await AuthEvent.select().where(AuthEvent.user_id == member.id).order_by(AuthEvent.id)
    assert [row["event"] for row in rows] == ["login_failed", "login", "2fa_enabled", "login_2fa_failed"]
    assert rows[1]["user_agent"] == "Audit Browser 1.0" and rows[1]["ip"].startswith("10.")
    everything = str(await AuthEvent.select())
    assert wrong_password not in everything and f"ghost-{member.email}" not in everything


async def test_tenant_admins_see_their_members_events_and_no_one_elses(
    tenant, make_tenant, new_client
) -> None:
    admin, member = await make_member(tenant, "admin"), await make_member(tenant, "sales")
    other = await make_tenant()
    outsider = await make_member(other)
    for person in (member, outsider):
        await sign_in(new_client(), person)
    events = await events_for_tenant(tenant.id)
    emails = {event.user_email for event in events}
    assert member.email in emails and outsider.email not in emails

    browser = new_client()
    await sign_in(browser, admin)
    page = await browser.get(f"/t/{tenant.slug}/admin/security")
    assert page.status_code == 200
    table = page.text.split('id="auth-events"')[1]
    assert member.email in table and outsider.email not in table and "Signed in" in table


async def test_the_security_settings_page_needs_settings_permission(tenant, new_client) -> None:
    seller = await make_member(tenant, "sales")
    browser = new_client()
    await sign_in(browser, seller)
    assert (await browser.get(f"/t/{tenant.slug}/admin/security")).status_code == 403
    refused = await post_form(
        browser, f"/t/{tenant.slug}/", f"/t/{tenant.slug}/admin/security", {"require_2fa": "on"}
    )
    assert (
        refused.status_code == 403
        and "Not allowed" in refused.text
        and "Your form expired" not in refused.text
    )
