"""In the browser: an admin builds a custom role with the matrix form and invites someone with it; the mail
shows up at /ops/mail and its link makes the invitee a member. Admin pages fit a phone screen."""

from __future__ import annotations

import re
import secrets

from sampark.platform.identity.invitations import MAIL_QUEUE
from tests.integration.workers import conftest as worker_fixtures
from tests.support.web import make_member

# The real broker and in-process Dramatiq worker of the worker tests.
broker = worker_fixtures.broker
start_worker = worker_fixtures.start_worker


async def _sign_in(page, live_server: str, member) -> None:
    await page.goto(f"{live_server}/login")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(re.compile(r".*/t/.*"))


async def test_admin_creates_a_role_and_invites_with_it(
    page, live_server, tenant, broker, start_worker
) -> None:
    admin = await make_member(tenant, "admin")
    await _sign_in(page, live_server, admin)
    await page.click("text=Admin")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/admin/users/")

    await page.click("text=Roles")
    await page.click("text=New role")
    await page.fill("#name", "Regional seller")
    await page.select_option('select[name="perm.contacts.view"]', "team")
    await page.select_option('select[name="perm.contacts.create"]', "own")
    await page.select_option('select[name="perm.companies.view"]', "all")
    await page.fill('input[name="hidden.contacts"]', "phone")
    await page.click("#role-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/admin/roles/")
    assert "Role Regional seller created." in await page.text_content(".flashes")
    await page.click("#roles >> text=Regional seller")
    assert await page.input_value('select[name="perm.contacts.view"]') == "team"
    assert await page.input_value('input[name="hidden.contacts"]') == "phone"

    email = f"new-{secrets.token_hex(4)}@example.com"
    await page.click("nav >> text=Users")
    await page.fill("#email", "not an address")
    await page.click("#invite-form button[type=submit]")
    await page.wait_for_selector("#email-error")
    await page.fill("#email", email)
    await page.select_option("#role", "regional-seller")
    await page.click("#invite-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/admin/users/")
    assert f"Invitation sent to {email}." in await page.text_content(".flashes")
    assert email in await page.text_content("#invitations")

    # What the scheduler and a worker do in production: relay the outbox, send the mail.
    from sampark.workers.outbox import relay

    await relay(broker)
    await start_worker(MAIL_QUEUE).drain(MAIL_QUEUE)

    await page.goto(f"{live_server}/ops/mail/")
    await page.click(f"tr:has-text('{email}') a")
    body = await page.text_content(".mail-body")
    link = re.search(r"https?://\S+/invitations/[A-Za-z0-9_-]+", body or "")
    assert link, body
    path = link.group(0).split("/invitations/", 1)[1]

    await page.click("text=Sign out")
    await page.goto(f"{live_server}/invitations/{path}")
    await page.fill("#full_name", "Ravi Kumar")
    await page.fill("#password", "monsoon evenings in pune 9")
    await page.click("#accept-form button[type=submit]")
    await page.wait_for_url(f"{live_server}/t/{tenant.slug}/")
    assert "Welcome to Test Co." in await page.text_content(".flashes")


async def test_admin_pages_fit_a_phone_screen(page, live_server, tenant) -> None:
    admin = await make_member(tenant, "admin")
    await _sign_in(page, live_server, admin)
    await page.set_viewport_size({"width": 360, "height": 740})
    for path in ("admin/users/", "admin/roles/", "admin/roles/new", "admin/roles/admin", "admin/teams/new"):
        await page.goto(f"{live_server}/t/{tenant.slug}/{path}")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
