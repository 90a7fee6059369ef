"""Double opt-in: a staff-recorded e-mail marketing grant waits as ``pending`` until the contact confirms it
through a signed, expiring, single-use link mailed to them.

Token: ``HMAC-SHA256(secret_key, "sampark-consent:<tenant id>:<confirmation id>:<nonce>")``, URL-safe base64;
only its SHA-256 is stored, so neither a database dump nor an outbox row holds a usable link. The mail actor
rebuilds it from the id, the stored nonce and the secret key. The link names the tenant by slug
(``/consent/confirm/<slug>/<token>``) because the person confirming is not signed in anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sampark.platform.config.settings import Settings
from sampark.platform.db.sql import fetchrow
from sampark.platform.i18n import choose_locale, use_locale
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.formatting import format_datetime
from sampark.platform.mail.templates import render_mail
from sampark.platform.mail.transport import send_mail
from sampark.platform.outbox.service import enqueue
from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.policy import current_principal_or_none
from sampark.tenants.audit.services import record_change
from sampark.tenants.consent.schemas import OBJECT, PURPOSES, label
from sampark.tenants.consent.tables import ConsentConfirmation

CONFIRMATION_TTL = timedelta(days=7)
SEND_ACTOR = "consent.send_confirmation"
MAIL_QUEUE = "mail"
# Only e-mail marketing is confirmed by e-mail; the other purposes have no channel to confirm through yet.
CONFIRMED_PURPOSES = frozenset({"email_marketing"})

_INSERT = """
INSERT INTO consent_confirmations (contact_id, purpose, email, locale, nonce, token_hash, requested_by, expires_at)
VALUES ($1, $2, $3, $4, $5, '', $6, now() + $7::interval) RETURNING id
"""
_ROW = """
SELECT k.id, k.contact_id, k.purpose, k.email, k.locale, k.nonce, k.expires_at, k.sent_at, k.confirmed_at,
       c.status, btrim(ct.first_name || ' ' || ct.last_name) AS contact_name
FROM consent_confirmations k
LEFT JOIN consents c ON c.contact_id = k.contact_id AND c.purpose = k.purpose
LEFT JOIN contacts ct ON ct.id = k.contact_id
WHERE {where} FOR UPDATE OF k
"""
_CONFIRM = """
UPDATE consents SET status = 'granted', recorded_at = now(), version = version + 1
WHERE contact_id = $1 AND purpose = $2 AND status = 'pending'
RETURNING status, lawful_basis, source, evidence, version
"""
_EVENT = """
INSERT INTO consent_events (contact_id, purpose, action, status, lawful_basis, source, evidence, actor_user_id)
VALUES ($1, $2, 'confirm', $3, $4, $5, $6, NULL)
"""


def confirmation_token(secret_key: str, tenant_id: int, confirmation_id: int, nonce: str) -> str:
    message = f"sampark-consent:{tenant_id}:{confirmation_id}:{nonce}".encode()
    mac = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirm_url(settings: Settings, slug: str, token: str) -> str:
    return f"{settings.public_url.rstrip('/')}/consent/confirm/{slug}/{token}"


async def request_confirmation(
    settings: Settings, contact_id: int, purpose: str, email: str, locale: str
) -> int:
    """Store a confirmation request and queue its mail (in the caller's transaction); return its id."""
    nonce = secrets.token_urlsafe(24)
    principal = current_principal_or_none()
    row = await fetchrow(
        ConsentConfirmation, _INSERT, contact_id, purpose, email, locale, nonce,
        principal.user_id if principal else None, CONFIRMATION_TTL,
    )  # fmt: skip
    token = confirmation_token(settings.secret_key, current_tenant().id, row["id"], nonce)
    await fetchrow(
        ConsentConfirmation, "UPDATE consent_confirmations SET token_hash = $2 WHERE id = $1 RETURNING id",
        row["id"], hash_token(token),
    )  # fmt: skip
    await enqueue(SEND_ACTOR, row["id"], queue_name=MAIL_QUEUE)
    return int(row["id"])


async def deliver_confirmation(settings: Settings, confirmation_id: int) -> bool:
    """Send the confirmation mail once; True when it went out now.

    Runs in the request's tenant context (the mail actor). The row is locked and ``sent_at`` set in the same
    transaction, so a second delivery after a commit sends nothing; a request already confirmed, expired or
    superseded (the consent is no longer pending) is skipped.
    """
    row = await fetchrow(ConsentConfirmation, _ROW.format(where="k.id = $1"), confirmation_id)
    if row is None or row["sent_at"] is not None or row["confirmed_at"] is not None:
        return False
    if row["status"] != "pending" or row["expires_at"] <= datetime.now(UTC):
        return False
    tenant = current_tenant()
    token = confirmation_token(settings.secret_key, tenant.id, row["id"], row["nonce"])
    locale = choose_locale(row["locale"])
    with use_locale(locale):
        subject = _("Please confirm that %(tenant)s may e-mail you", tenant=tenant.name)
        mail = render_mail(
            "consent_confirmation",
            subject,
            {
                "subject": subject,
                "lang": locale,
                "tenant_name": tenant.name,
                "contact_name": row["contact_name"] or "",
                "purpose": label(PURPOSES, row["purpose"]),
                "confirm_url": confirm_url(settings, tenant.slug, token),
                "expires_at": format_datetime(row["expires_at"], "long"),
            },
        )
    await send_mail(
        settings, row["email"], mail.subject, mail.text, mail.html,
        idempotency_key=f"consent-confirmation:{tenant.id}:{row['id']}",
    )  # fmt: skip
    await fetchrow(
        ConsentConfirmation, "UPDATE consent_confirmations SET sent_at = now() WHERE id = $1 RETURNING id",
        confirmation_id,
    )  # fmt: skip
    return True


@dataclass(frozen=True)
class ConfirmationState:
    """What a confirmation link leads to: ``state`` is open, confirmed, expired or void."""

    state: str
    purpose: str = ""
    tenant_name: str = ""
    # True only on the request that confirmed it.
    confirmed_now: bool = False


def _state(row: Any) -> str:
    if row["confirmed_at"] is not None:
        return "confirmed"
    if row["status"] != "pending":
        return "void"  # withdrawn or re-recorded since the mail went out, or the contact is gone
    if row["expires_at"] <= datetime.now(UTC):
        return "expired"
    return "open"


async def _find(token: str) -> Any:
    if not token or len(token) > 128:
        return None
    return await fetchrow(ConsentConfirmation, _ROW.format(where="k.token_hash = $1"), hash_token(token))


async def confirmation_state(token: str) -> ConfirmationState:
    """Look a link up (inside its tenant's context, no principal needed); unknown tokens are ``void``."""
    row = await _find(token)
    if row is None:
        return ConfirmationState("void")
    return ConfirmationState(_state(row), row["purpose"], current_tenant().name)


async def confirm(token: str) -> ConfirmationState:
    """Turn the pending grant the link names into ``granted`` once; the state the link is in afterwards.

    The contact confirms, so the event and the audit entry name no member (actor empty).
    """
    row = await _find(token)
    if row is None:
        return ConfirmationState("void")
    state = _state(row)
    if state != "open":
        return ConfirmationState(state, row["purpose"], current_tenant().name)
    purpose, contact_id = row["purpose"], row["contact_id"]
    consent = await fetchrow(ConsentConfirmation, _CONFIRM, contact_id, purpose)
    await fetchrow(
        ConsentConfirmation, "UPDATE consent_confirmations SET confirmed_at = now() WHERE id = $1 RETURNING id",
        row["id"],
    )  # fmt: skip
    await fetchrow(
        ConsentConfirmation, _EVENT + " RETURNING id", contact_id, purpose, consent["status"],
        consent["lawful_basis"], consent["source"], consent["evidence"],
    )  # fmt: skip
    await record_change(
        "update", OBJECT, contact_id,
        before={f"{purpose}.status": "pending", f"{purpose}.version": consent["version"] - 1},
        after={f"{purpose}.status": "granted", f"{purpose}.version": consent["version"],
               f"{purpose}.confirmed_by": "contact"},
    )  # fmt: skip
    return ConfirmationState("confirmed", purpose, current_tenant().name, confirmed_now=True)
