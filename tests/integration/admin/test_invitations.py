"""Invitations end to end: invite → outbox → relay → worker → mail in the sink → link → account → member."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from httpx import ASGITransport, AsyncClient

from sampark.platform.db.engine import get_engine
from sampark.platform.identity.invitations import Invitation, hash_token
from sampark.platform.identity.tables import Membership
from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.audit.tables import AuditEntry
from tests.integration.admin.conftest import link_token, mails_to
from tests.support.web import Member, make_member, post_form, sign_in

NEW_PASSWORD = "a long and unusual passphrase 7"


def new_address() -> str:
    return f"invitee-{secrets.token_hex(4)}@example.com"


async def invite(client: AsyncClient, tenant, email: str, role: str = "sales"):
    url = f"/t/{tenant.slug}/admin/users/"
    return await post_form(client, url, f"{url}invite", {"email": email, "role": role})


async def test_invitation_end_to_end(app, client, tenant, settings, deliver_mail) -> None:
    admin = await make_member(tenant, "admin")
    await sign_in(client, admin)
    email = new_address()

    response = await invite(client, tenant, email, "sales")
    assert response.status_code == 303
    listing = await client.get(f"/t/{tenant.slug}/admin/users/")
    assert email in listing.text and "Pending invitations" in listing.text
    assert mails_to(settings, email) == []  # nothing is sent before the relay and the worker run

    await deliver_mail()
    [mail] = mails_to(settings, email)
    assert "Test Co" in mail.subject
    token = link_token(mail)
    async with get_engine().transaction() as transaction:
        row = await transaction.connection.fetchrow(
            "SELECT token_hash, sent_at FROM public.invitations WHERE email = $1", email
        )
    assert row["token_hash"] == hash_token(token) and row["sent_at"] is not None
    assert token not in str(dict(row))  # only the hash is stored

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as invitee:
        page = await invitee.get(f"/invitations/{token}")
        assert page.status_code == 200 and "Create your account" in page.text
        bad = await post_form(
            invitee, f"/invitations/{token}", f"/invitations/{token}", {"full_name": "", "password": "short"}
        )
        assert bad.status_code == 400
        assert 'id="full_name-error"' in bad.text and 'id="password-error"' in bad.text
        joined = await post_form(
            invitee,
            f"/invitations/{token}",
            f"/invitations/{token}",
            {"full_name": "Priya Nair", "password": NEW_PASSWORD},
        )
        assert joined.status_code == 303 and joined.headers["location"] == f"/t/{tenant.slug}/"
        assert (await invitee.get(f"/t/{tenant.slug}/")).status_code == 200

    # A fresh browser: the new account signs in with its password and reaches the tenant.
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as later:
        async with get_engine().transaction() as transaction:
            user_id = await transaction.connection.fetchval(
                "SELECT id FROM public.users WHERE email = $1", email
            )
        await sign_in(later, Member(user_id, email, NEW_PASSWORD))
        assert (await later.get(f"/t/{tenant.slug}/")).status_code == 200
        assert (await later.get(f"/t/{tenant.slug}/admin/users/")).status_code == 403  # sales

    role = await Membership.select(Membership.role).where(Membership.user == user_id).first()
    assert role == {"role": "sales"}
    async with tenant_context(slug=tenant.slug):
        actions = await AuditEntry.select(AuditEntry.action, AuditEntry.object_type).where(
            AuditEntry.object_type.is_in(["invitation", "member"])
        )
    assert {"action": "create", "object_type": "invitation"} in actions
    assert {"action": "create", "object_type": "member"} in actions


async def test_used_expired_and_revoked_links_are_refused(
    app, client, tenant, settings, deliver_mail
) -> None:
    admin = await make_member(tenant, "admin")
    await sign_in(client, admin)
    used, expired, revoked = new_address(), new_address(), new_address()
    for email in (used, expired, revoked):
        assert (await invite(client, tenant, email)).status_code == 303
    await deliver_mail()
    tokens = {email: link_token(mails_to(settings, email)[0]) for email in (used, expired, revoked)}

    await Invitation.update({Invitation.expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Invitation.email == expired
    )
    revoked_id = (await Invitation.select(Invitation.id).where(Invitation.email == revoked).first())["id"]
    url = f"/t/{tenant.slug}/admin/users/"
    assert (await post_form(client, url, f"{url}invitations/{revoked_id}/revoke", {})).status_code == 303

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as invitee:
        form = {"full_name": "Someone", "password": NEW_PASSWORD}
        first = await post_form(invitee, f"/invitations/{tokens[used]}", f"/invitations/{tokens[used]}", form)
        assert first.status_code == 303
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as other:
        for email, heading in ((used, "already used"), (expired, "expired"), (revoked, "withdrawn")):
            token = tokens[email]
            page = await other.get(f"/invitations/{token}")
            assert page.status_code == 410 and heading in page.text, email
            # (The CSRF token comes from the login page: a refused link's page has no form.)
            again = await post_form(other, "/login", f"/invitations/{token}", form)
            assert again.status_code == 410, email
        assert (await other.get("/invitations/not-a-real-token-at-all-00000")).status_code == 404
    # The expired and revoked ones created no account.
    async with get_engine().transaction() as transaction:
        count = await transaction.connection.fetchval(
            "SELECT count(*) FROM public.users WHERE email = ANY($1)", [expired, revoked]
        )
    assert count == 0


async def test_resend_kills_the_old_link_and_delivery_is_idempotent(
    client, tenant, settings, deliver_mail
) -> None:
    admin = await make_member(tenant, "admin")
    await sign_in(client, admin)
    email = new_address()
    await invite(client, tenant, email)
    await deliver_mail()
    await deliver_mail()  # nothing new to send: still one mail
    [first] = mails_to(settings, email)
    invitation_id = (await Invitation.select(Invitation.id).where(Invitation.email == email).first())["id"]

    # The same message delivered again (at least once) sends nothing: the row says it was sent.
    from sampark.workers.mail import send_invitation

    async with tenant_context(slug=tenant.slug):
        send_invitation.send(invitation_id)  # stamped with this tenant by the tenant middleware
    await deliver_mail()
    assert len(mails_to(settings, email)) == 1

    url = f"/t/{tenant.slug}/admin/users/"
    assert (await post_form(client, url, f"{url}invitations/{invitation_id}/resend", {})).status_code == 303
    await deliver_mail()
    messages = mails_to(settings, email)
    assert len(messages) == 2
    new_token = link_token(messages[0])
    assert new_token != link_token(first)
    assert (await client.get(f"/invitations/{link_token(first)}")).status_code == 404
    assert (await client.get(f"/invitations/{new_token}")).status_code == 200


async def test_signed_in_accounts_join_only_with_the_invited_address(
    app, client, tenant, make_tenant
) -> None:
    admin = await make_member(tenant, "admin")
    other_tenant = await make_tenant()
    existing = await make_member(other_tenant, "sales")  # has an account, not yet in `tenant`
    stranger = await make_member(other_tenant, "sales")
    await sign_in(client, admin)
    await invite(client, tenant, existing.email, "read-only")
    row = (
        await Invitation.select(Invitation.id, Invitation.nonce)
        .where(Invitation.email == existing.email)
        .first()
    )
    from sampark.platform.identity.invitations import invitation_token

    token = invitation_token(app.state.settings.secret_key, row["id"], row["nonce"])

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as browser:
        signed_out = await browser.get(f"/invitations/{token}")
        assert "Sign in to accept" in signed_out.text
        await sign_in(browser, stranger)
        refused = await post_form(browser, f"/invitations/{token}", f"/invitations/{token}", {})
        assert refused.status_code == 403 and "You are signed in as" in refused.text
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as browser:
        await sign_in(browser, existing)
        joined = await post_form(browser, f"/invitations/{token}", f"/invitations/{token}", {})
        assert joined.status_code == 303
        assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 200
        assert (await browser.get(f"/t/{other_tenant.slug}/")).status_code == 200


async def test_invite_form_validates_inline(client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    member = await make_member(tenant, "sales")
    await sign_in(client, admin)
    bad = await invite(client, tenant, "not-an-address", "no-such-role")
    assert bad.status_code == 400
    assert 'id="email-error"' in bad.text and 'id="role-error"' in bad.text
    taken = await invite(client, tenant, member.email, "sales")
    assert taken.status_code == 400 and "already a member" in taken.text
    email = new_address()
    assert (await invite(client, tenant, email)).status_code == 303
    again = await invite(client, tenant, email)
    assert again.status_code == 400 and "pending" in again.text


async def test_the_token_never_reaches_the_access_log_path(app, client, tenant) -> None:
    """Access logs (ours and uvicorn's) read the scope's path after the app ran: the token must be gone by then."""
    from sampark.platform.identity.invitations import invitation_token

    await sign_in(client, await make_member(tenant, "admin"))
    email = new_address()
    await invite(client, tenant, email)
    row = await Invitation.select(Invitation.id, Invitation.nonce).where(Invitation.email == email).first()
    token = invitation_token(app.state.settings.secret_key, row["id"], row["nonce"])
    seen: list[str] = []

    async def server(scope, receive, send) -> None:  # what a server or outer middleware sees afterwards
        await app(scope, receive, send)
        seen.append(scope["path"])

    async with AsyncClient(transport=ASGITransport(app=server), base_url="http://testserver") as browser:
        page = await browser.get(f"/invitations/{token}")
        assert "Create your account" in page.text
        await post_form(
            browser, f"/invitations/{token}", f"/invitations/{token}", {"full_name": "X", "password": ""}
        )
    assert seen[0] == "/invitations/[token]" and seen[-1] == "/invitations/[token]"
    assert not [path for path in seen if token in path]
