"""Password reset end to end: the form, the outbox, a real worker, SMTP into the sink, the link, the new password."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from httpx import ASGITransport, AsyncClient

from sampark.platform.identity.login_audit import AuthEvent
from sampark.platform.identity.reset import PasswordReset, token_digest
from sampark.platform.outbox.tables import OutboxMessage
from sampark.web.sessions import COOKIE_NAME
from tests.integration.account.helpers import enrol, next_code, second_step
from tests.support.web import csrf_token, make_member, post_form, sign_in

NEW_PASSWORD = "a brand new passphrase 2026"
_LINK = re.compile(r"(https?://\S+/password/reset/([A-Za-z0-9_-]+))")


async def _ask(client, email: str):
    return await post_form(client, "/password/forgot", "/password/forgot", {"email": email})


def _link(message) -> tuple[str, str]:
    match = _LINK.search(message.body)
    assert match, message.body
    return match.group(1), match.group(2)


async def test_reset_by_mail_changes_the_password_and_ends_every_session(
    tenant, new_client, mails, deliver_reset_mails
) -> None:
    member = await make_member(tenant)
    elsewhere = new_client()
    await sign_in(elsewhere, member)
    assert (await elsewhere.get(f"/t/{tenant.slug}/")).status_code == 200

    browser = new_client()
    asked = await _ask(browser, member.email.upper())
    assert asked.status_code == 303 and asked.headers["location"] == "/password/forgot/sent"
    await deliver_reset_mails()
    [message] = mails(member.email)
    assert "Reset your Sampark password" in message.subject
    url, token = _link(message)

    # Nothing in the database or the outbox holds the token itself.
    [row] = await PasswordReset.select().where(PasswordReset.user == member.id)
    assert row["token_hash"] == token_digest(token) and token not in str(row)
    outbox = await OutboxMessage.select(OutboxMessage.args, OutboxMessage.kwargs).where(
        OutboxMessage.actor_name == "account_mail.send_password_reset"
    )
    assert token not in str(outbox)

    assert url.endswith(f"/password/reset/{token}")
    form = await browser.get(f"/password/reset/{token}")
    assert form.status_code == 200 and member.email in form.text
    weak = await browser.post(
        f"/password/reset/{token}", data={"password": "password1", "_csrf_token": csrf_token(form)}
    )
    assert weak.status_code == 400 and 'id="password-error"' in weak.text
    done = await browser.post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "_csrf_token": csrf_token(form)}
    )
    assert done.status_code == 303
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 200  # signed in, fresh
    assert (await elsewhere.get(f"/t/{tenant.slug}/")).status_code == 303  # the old session is dead

    # The link worked once.
    again = await browser.get(f"/password/reset/{token}")
    assert again.status_code == 404 and "expired or was already used" in again.text
    reused = await browser.post(
        f"/password/reset/{token}",
        data={"password": "yet another passphrase 99", "_csrf_token": csrf_token(again)},
    )
    assert reused.status_code == 404

    fresh = new_client()
    old = await post_form(fresh, "/login", "/login", {"email": member.email, "password": member.password})
    assert old.status_code == 400
    new = await post_form(fresh, "/login", "/login", {"email": member.email, "password": NEW_PASSWORD})
    assert new.status_code == 303
    events = {
        row["event"] for row in await AuthEvent.select(AuthEvent.event).where(AuthEvent.user_id == member.id)
    }
    assert {"password_reset_requested", "password_reset", "login"} <= events


async def test_the_mail_is_sent_once_even_when_the_message_is_delivered_twice(
    tenant, new_client, mails, deliver_reset_mails
) -> None:
    member = await make_member(tenant)
    await _ask(new_client(), member.email)
    await deliver_reset_mails()
    [row] = await PasswordReset.select(PasswordReset.id, PasswordReset.mailed_at).where(
        PasswordReset.user == member.id
    )
    assert row["mailed_at"] is not None
    await deliver_reset_mails.redeliver(row["id"])
    assert len(mails(member.email)) == 1


async def test_an_expired_link_is_refused(tenant, new_client, mails, deliver_reset_mails) -> None:
    member = await make_member(tenant)
    browser = new_client()
    await _ask(browser, member.email)
    await deliver_reset_mails()
    _url, token = _link(mails(member.email)[0])
    await PasswordReset.update({PasswordReset.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        PasswordReset.user == member.id
    )
    page = await browser.get(f"/password/reset/{token}")
    assert page.status_code == 404 and 'href="/password/forgot"' in page.text
    refused = await browser.post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "_csrf_token": csrf_token(page)}
    )
    assert refused.status_code == 404
    assert (
        await post_form(browser, "/login", "/login", {"email": member.email, "password": NEW_PASSWORD})
    ).status_code == 400


async def test_an_unknown_address_gets_the_same_answer_and_no_mail(tenant, new_client, mails) -> None:
    member = await make_member(tenant)
    unknown = f"nobody-{member.email}"
    known_answer = await _ask(new_client(), member.email)
    unknown_answer = await _ask(new_client(), unknown)
    assert (known_answer.status_code, known_answer.headers["location"]) == (
        unknown_answer.status_code,
        unknown_answer.headers["location"],
    )
    browser = new_client()
    shown_known = await browser.get(known_answer.headers["location"])
    shown_unknown = await browser.get(unknown_answer.headers["location"])
    strip = re.compile(r'value="[^"]+"|"x-csrftoken": "[^"]+"')
    assert strip.sub("", shown_known.text) == strip.sub("", shown_unknown.text)
    assert await PasswordReset.count().where(PasswordReset.user == member.id) == 1
    assert mails(unknown) == []


async def test_forgot_is_rate_limited_per_address(tenant, new_client) -> None:
    member = await make_member(tenant)
    statuses = [(await _ask(new_client(), member.email)).status_code for _ in range(4)]
    assert statuses == [303, 303, 303, 429]


async def test_a_bad_address_is_shown_inline(new_client) -> None:
    response = await _ask(new_client(), "not-an-address")
    assert response.status_code == 400 and 'id="email-error"' in response.text


async def test_a_reset_does_not_get_past_the_second_factor(
    tenant, new_client, mails, deliver_reset_mails
) -> None:
    member = await make_member(tenant)
    browser = new_client()
    await sign_in(browser, member)
    secret, _codes = await enrol(browser, member)
    await _ask(browser, member.email)
    await deliver_reset_mails()
    _url, token = _link(mails(member.email)[0])
    form = await browser.get(f"/password/reset/{token}")
    done = await browser.post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "_csrf_token": csrf_token(form)}
    )
    assert done.status_code == 303 and done.headers["location"] == "/login/2fa"
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 303  # not signed in yet
    assert browser.cookies.get(COOKIE_NAME)
    finished = await second_step(browser, await next_code(member.id, secret))
    assert finished.status_code == 303
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 200


async def test_the_token_is_gone_from_the_path_access_logs_read(
    app, tenant, new_client, mails, deliver_reset_mails
) -> None:
    """Access logs (ours and uvicorn's) read the scope's path after the app ran: the token must be gone by then."""
    member = await make_member(tenant)
    await _ask(new_client(), member.email)
    await deliver_reset_mails()
    _url, token = _link(mails(member.email)[0])
    seen: list[str] = []

    async def server(scope, receive, send) -> None:  # what a server or outer middleware sees afterwards
        await app(scope, receive, send)
        seen.append(scope["path"])

    async with AsyncClient(transport=ASGITransport(app=server), base_url="http://testserver") as browser:
        form = await browser.get(f"/password/reset/{token}")
        await browser.post(
            f"/password/reset/{token}", data={"password": NEW_PASSWORD, "_csrf_token": csrf_token(form)}
        )
    assert seen == ["/password/reset/[token]", "/password/reset/[token]"]
