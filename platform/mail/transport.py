"""Send mail over SMTP with the standard library, in a worker thread so the event loop keeps serving.

``settings.smtp_url`` is ``smtp://[user:password@]host[:port][?starttls=true]``. The credentials never reach a
log line: errors are reported with the host and port only.
"""

from __future__ import annotations

import asyncio
import hashlib
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, parseaddr
from urllib.parse import parse_qs, unquote, urlparse

from sampark.platform.config.settings import Settings

DEFAULT_PORT = 25
TIMEOUT_SECONDS = 30.0


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server (the caller retries later)."""


@dataclass(frozen=True)
class SmtpTarget:
    """Where to deliver, parsed from ``smtp_url``; ``repr`` leaves the password out."""

    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False


def parse_smtp_url(url: str) -> SmtpTarget:
    """Parse ``smtp://[user:password@]host[:port][?starttls=true]``.

    Raises:
        MailError: the URL is not an smtp:// URL with a host.
    """
    parsed = urlparse(url)
    if parsed.scheme != "smtp" or not parsed.hostname:
        raise MailError("the SMTP URL must look like smtp://host:port")
    query = parse_qs(parsed.query)
    return SmtpTarget(
        host=parsed.hostname,
        port=parsed.port or DEFAULT_PORT,
        username=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
        starttls=query.get("starttls", ["false"])[0].lower() in {"1", "true", "yes", "on"},
    )


def _domain(address: str) -> str:
    _name, email = parseaddr(address)
    return email.rpartition("@")[2] or "sampark.localhost"


def message_id_for(idempotency_key: str, sender: str) -> str:
    """A Message-ID derived from ``idempotency_key``: a resent message carries the same one.

    The key itself is hashed, so nothing it contains (ids, nonces) shows in the header.
    """
    digest = hashlib.sha256(f"sampark-mail:{idempotency_key}".encode()).hexdigest()[:40]
    return f"<{digest}@{_domain(sender)}>"


def build_message(
    settings: Settings,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    idempotency_key: str | None = None,
) -> EmailMessage:
    """Build a text (and optionally HTML alternative) message from ``settings.mail_from`` to ``to``."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    name, address = parseaddr(to)
    message["To"] = Address(display_name=name, addr_spec=address) if name else address
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    if idempotency_key:
        message["Message-ID"] = message_id_for(idempotency_key, settings.mail_from)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def _deliver(target: SmtpTarget, message: EmailMessage) -> None:
    recipients = [address for _name, address in getaddresses([str(message["To"])]) if address]
    try:
        with smtplib.SMTP(target.host, target.port, timeout=TIMEOUT_SECONDS) as client:
            if target.starttls:
                client.starttls(context=ssl.create_default_context())
            if target.username:
                client.login(target.username, target.password or "")
            client.send_message(message, to_addrs=recipients)
    except (OSError, smtplib.SMTPException) as error:
        # The exception text may echo the server's reply, never our credentials; name the class only.
        raise MailError(
            f"could not send mail via {target.host}:{target.port}: {type(error).__name__}"
        ) from None


async def send_mail(
    settings: Settings,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    idempotency_key: str | None = None,
) -> str:
    """Send one message through ``settings.smtp_url`` and return its Message-ID.

    Args:
        to: one recipient address (``"Name <a@b.c>"`` or ``"a@b.c"``).
        idempotency_key: what this message is (``"invitation:12:<nonce>"``); the Message-ID derives from it,
            so a redelivered job sends a recognisably identical message.

    Raises:
        MailError: no SMTP server is configured, or it refused or could not be reached.
    """
    if not settings.smtp_url:
        raise MailError("no SMTP server is configured (SAMPARK_SMTP_URL)")
    target = parse_smtp_url(settings.smtp_url)
    message = build_message(settings, to, subject, text, html, idempotency_key=idempotency_key)
    await asyncio.to_thread(_deliver, target, message)
    return str(message["Message-ID"] or "")
