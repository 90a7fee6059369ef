"""The SMTP transport against the session's real mail sink, and the mail templates."""

from __future__ import annotations

import email
import email.policy
import secrets
import socket

import pytest

from sampark.platform.mail import MailError, message_id_for, render_mail, send_mail
from sampark.platform.mail.transport import parse_smtp_url
from tests.integration.admin.conftest import mails_to


async def test_send_mail_delivers_text_and_html_with_a_stable_message_id(settings) -> None:
    to = f"mail-{secrets.token_hex(4)}@example.com"
    message_id = await send_mail(
        settings, to, "Hello & welcome", "Plain body", "<p>HTML body</p>", idempotency_key="test:1"
    )
    assert message_id == message_id_for("test:1", settings.mail_from)
    assert message_id != message_id_for("test:2", settings.mail_from)
    [stored] = mails_to(settings, to)
    assert stored.subject == "Hello & welcome" and stored.body.strip() == "Plain body"
    raw = email.message_from_bytes(
        (settings.mail_sink_dir / stored.id).read_bytes(), policy=email.policy.default
    )
    assert raw["Message-ID"] == message_id
    assert raw.get_body(preferencelist=("html",)).get_content().strip() == "<p>HTML body</p>"


async def test_unreachable_server_raises_without_leaking_the_password(settings) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    broken = settings.with_overrides(smtp_url=f"smtp://user:s3cret-pass@127.0.0.1:{port}")
    with pytest.raises(MailError) as raised:
        await send_mail(broken, "someone@example.com", "Subject", "Body")
    assert "s3cret-pass" not in str(raised.value) and f"127.0.0.1:{port}" in str(raised.value)
    assert "s3cret-pass" not in repr(parse_smtp_url(broken.smtp_url or ""))
    with pytest.raises(MailError):
        await send_mail(settings.with_overrides(smtp_url=None), "someone@example.com", "Subject", "Body")


def test_invitation_template_escapes_html_but_not_text() -> None:
    mail = render_mail(
        "invitation",
        "Subject",
        {
            "subject": "Subject",
            "lang": "en",
            "inviter_name": "Asha <script>",
            "tenant_name": "Acme & Co",
            "accept_url": "http://example.test/invitations/abc",
            "expires_at": "soon",
        },
    )
    assert "Asha <script> invited you to join Acme & Co" in mail.text
    assert mail.html is not None
    assert "Asha &lt;script&gt;" in mail.html and "Acme &amp; Co" in mail.html
    assert 'href="http://example.test/invitations/abc"' in mail.html
