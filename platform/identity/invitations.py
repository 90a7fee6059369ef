"""Invitations: an admin invites an e-mail address into a tenant with a role; the link joins it once.

Token: ``HMAC-SHA256(secret_key, "sampark-invitation:<id>:<nonce>")``, URL-safe base64. Only its SHA-256 is
stored, so neither a database dump nor an outbox row holds a usable link; the mail actor rebuilds the token
from the id, the stored nonce and the secret key. A resend draws a new nonce, which kills the old link.

The table sits in ``public``. Row-level security (platform step 3) lets a tenant's role read and write only its
own tenant's rows, so the admin pages and the mail actor work from inside a tenant context, while accepting
(which happens before the person is a member of anything) runs as the app role.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from babel.dates import format_datetime
from piccolo.columns import BigInt, BigSerial, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.config.settings import Settings
from sampark.platform.db.engine import get_engine
from sampark.platform.i18n import DEFAULT_LOCALE, use_locale
from sampark.platform.i18n import gettext as _
from sampark.platform.identity.passwords import password_problems
from sampark.platform.identity.users import (
    IdentityError,
    UserRecord,
    create_user,
    get_user,
    normalize_email,
)
from sampark.platform.mail import render_mail, send_mail
from sampark.platform.mail.custom import TemplateLookup, render_override
from sampark.platform.outbox.service import enqueue
from sampark.platform.tenancy.context import current_tenant_or_none
from sampark.platform.tenancy.tables import Tenant, TenantStatus

INVITATION_TTL = timedelta(days=7)
SEND_ACTOR = "mail.send_invitation"
MAIL_QUEUE = "mail"


class Invitation(Table, schema="public", tablename="invitations"):
    """An invitation to join one tenant. ``token_hash`` is the SHA-256 of the link's token."""

    id = BigSerial(primary_key=True)
    tenant = ForeignKey(Tenant, on_delete=OnDelete.cascade, db_column_name="tenant_id", index=True)
    email = Varchar(length=320)
    role = Varchar(length=32)
    invited_by_user_id = BigInt(null=True, default=None)
    nonce = Varchar(length=64)
    token_hash = Varchar(length=64, unique=True)
    # The inviter's language when they sent it: the mail is written in it.
    locale = Varchar(length=16, default="")
    expires_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    accepted_at = Timestamptz(null=True, default=None)
    accepted_user_id = BigInt(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class InvitationError(ValueError):
    """An invitation cannot be used: ``code`` is not_found, expired, revoked, accepted, tenant_inactive,
    email_mismatch or account_exists."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class InvitationRecord:
    id: int
    tenant_id: int
    email: str
    role: str
    invited_by_user_id: int | None
    locale: str
    expires_at: datetime
    sent_at: datetime | None
    accepted_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime

    @property
    def status(self) -> str:
        """``accepted``, ``revoked``, ``expired`` or ``pending``, in that order of precedence."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= datetime.now(UTC):
            return "expired"
        return "pending"


@dataclass(frozen=True)
class InvitationLookup:
    """An invitation found by its token, with the tenant it leads to and whether its address has an account."""

    invitation: InvitationRecord
    tenant_slug: str
    tenant_name: str
    tenant_active: bool
    has_account: bool


_COLUMNS = (
    Invitation.id,
    Invitation.tenant.as_alias("tenant_id"),
    Invitation.email,
    Invitation.role,
    Invitation.invited_by_user_id,
    Invitation.locale,
    Invitation.expires_at,
    Invitation.sent_at,
    Invitation.accepted_at,
    Invitation.revoked_at,
    Invitation.created_at,
)


def _record(row: dict[str, Any]) -> InvitationRecord:
    return InvitationRecord(**{name: row[name] for name in InvitationRecord.__dataclass_fields__})


def invitation_token(secret_key: str, invitation_id: int, nonce: str) -> str:
    """The link token for an invitation: deterministic for one (id, nonce), unguessable without the key."""
    mac = hmac.new(
        secret_key.encode(), f"sampark-invitation:{invitation_id}:{nonce}".encode(), hashlib.sha256
    )
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def accept_url(settings: Settings, token: str) -> str:
    return f"{settings.public_url.rstrip('/')}/invitations/{token}"


def _connection() -> Any:
    transaction = get_engine().current_transaction.get()
    if transaction is None:
        raise RuntimeError("invitations need the caller's open transaction")
    return transaction.connection


async def create_invitation(
    secret_key: str,
    tenant_id: int,
    email: str,
    role: str,
    *,
    invited_by_user_id: int | None,
    locale: str = "",
    ttl: timedelta = INVITATION_TTL,
) -> InvitationRecord:
    """Insert an invitation and its outbox message (the mail) in the caller's transaction.

    The caller (the tenant's admin service) has checked permissions, the role and the address already.
    """
    # Through the table's engine: the home database even when the tenant lives on another placement.
    rows = await Invitation.raw("SELECT nextval('public.invitations_id_seq') AS id")
    invitation_id = rows[0]["id"]
    nonce = secrets.token_urlsafe(24)
    now = datetime.now(UTC)
    rows = await Invitation.insert(
        Invitation(
            id=invitation_id,
            tenant=tenant_id,
            email=normalize_email(email),
            role=role,
            invited_by_user_id=invited_by_user_id,
            nonce=nonce,
            token_hash=hash_token(invitation_token(secret_key, invitation_id, nonce)),
            locale=locale,
            expires_at=now + ttl,
            created_at=now,
        )
    ).returning(*_COLUMNS)
    await enqueue(SEND_ACTOR, invitation_id, queue_name=MAIL_QUEUE)
    return _record(rows[0])


async def renew_invitation(
    secret_key: str, tenant_id: int, invitation_id: int, *, ttl: timedelta = INVITATION_TTL
) -> InvitationRecord | None:
    """Give a pending or expired invitation a new link and expiry and send it again; None if not renewable.

    The old link stops working at once (its hash is replaced).
    """
    nonce = secrets.token_urlsafe(24)
    rows = await (
        Invitation.update(
            {
                Invitation.nonce: nonce,
                Invitation.token_hash: hash_token(invitation_token(secret_key, invitation_id, nonce)),
                Invitation.expires_at: datetime.now(UTC) + ttl,
                Invitation.sent_at: None,
            }
        )
        .where(
            (Invitation.id == invitation_id)
            & (Invitation.tenant == tenant_id)
            & Invitation.accepted_at.is_null()
            & Invitation.revoked_at.is_null()
        )
        .returning(*_COLUMNS)
    )
    if not rows:
        return None
    await enqueue(SEND_ACTOR, invitation_id, queue_name=MAIL_QUEUE)
    return _record(rows[0])


async def revoke_invitation(tenant_id: int, invitation_id: int) -> InvitationRecord | None:
    """Revoke a not yet accepted invitation; None when there is none such in this tenant."""
    rows = await (
        Invitation.update({Invitation.revoked_at: datetime.now(UTC)})
        .where(
            (Invitation.id == invitation_id)
            & (Invitation.tenant == tenant_id)
            & Invitation.accepted_at.is_null()
            & Invitation.revoked_at.is_null()
        )
        .returning(*_COLUMNS)
    )
    return _record(rows[0]) if rows else None


async def get_invitation(tenant_id: int, invitation_id: int) -> InvitationRecord | None:
    row = await (
        Invitation.select(*_COLUMNS)
        .where((Invitation.id == invitation_id) & (Invitation.tenant == tenant_id))
        .first()
    )
    return _record(row) if row else None


def _open_invitations(tenant_id: int) -> Any:
    return Invitation.select(*_COLUMNS).where(
        (Invitation.tenant == tenant_id) & Invitation.accepted_at.is_null() & Invitation.revoked_at.is_null()
    )


async def open_invitations(tenant_id: int, *, limit: int = 50, offset: int = 0) -> list[InvitationRecord]:
    """Invitations not accepted nor revoked (pending or expired), newest first."""
    rows = (
        await _open_invitations(tenant_id)
        .order_by(Invitation.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    return [_record(row) for row in rows]


async def open_invitation_for(tenant_id: int, email: str) -> InvitationRecord | None:
    """The tenant's open, unexpired invitation for ``email``, if any."""
    row = await (
        _open_invitations(tenant_id)
        .where((Invitation.email == normalize_email(email)) & (Invitation.expires_at > datetime.now(UTC)))
        .first()
    )
    return _record(row) if row else None


async def deliver_invitation(
    settings: Settings, invitation_id: int, templates: TemplateLookup | None = None
) -> bool:
    """Send the invitation mail once per link; True when a mail went out now.

    ``templates`` finds the tenant's own invitation template for the invitation's language (the platform
    cannot read tenant tables itself; the mail actor passes it); without one the built-in mail is sent.

    Runs in the invitation's tenant context (the mail actor). The row is locked, so two deliveries of the
    same message wait for each other; ``sent_at`` is set in the same transaction, so a delivery after a
    commit does nothing, and one after a crash sends again with the same Message-ID.
    """
    row = await (
        Invitation.select(*_COLUMNS, Invitation.nonce)
        .where(Invitation.id == invitation_id)
        .lock_rows("UPDATE")
        .first()
    )
    if row is None:
        return False
    invitation = _record(row)
    if invitation.status != "pending" or invitation.sent_at is not None:
        return False
    tenant = current_tenant_or_none()
    tenant_name = tenant.name if tenant is not None and tenant.id == invitation.tenant_id else ""
    inviter = await get_user(invitation.invited_by_user_id) if invitation.invited_by_user_id else None
    token = invitation_token(settings.secret_key, invitation.id, row["nonce"])
    locale = invitation.locale or DEFAULT_LOCALE
    custom = await templates("invitation", locale) if templates is not None and tenant_name else None
    with use_locale(locale):
        subject = _("You are invited to join %(tenant)s on Sampark", tenant=tenant_name)
        inviter_name = inviter.full_name if inviter else _("An administrator")
        expires = format_datetime(invitation.expires_at, "long", tzinfo=UTC, locale=locale)
        link = accept_url(settings, token)
        values = {"inviter": {"name": inviter_name}, "tenant": {"name": tenant_name},
                  "invitation": {"url": link, "expires": expires}}  # fmt: skip
        mail = render_override("invitation", custom, values, lang=locale) or render_mail(
            "invitation",
            subject,
            {
                "subject": subject,
                "lang": locale,
                "inviter_name": inviter_name,
                "tenant_name": tenant_name,
                "accept_url": link,
                "expires_at": expires,
            },
        )
    await send_mail(
        settings,
        invitation.email,
        mail.subject,
        mail.text,
        mail.html,
        idempotency_key=f"invitation:{invitation.id}:{row['nonce']}",
    )
    await Invitation.update({Invitation.sent_at: datetime.now(UTC)}).where(Invitation.id == invitation_id)
    return True


_LOOKUP = """
SELECT i.id, i.tenant_id, i.email, i.role, i.invited_by_user_id, i.locale, i.expires_at, i.sent_at,
       i.accepted_at, i.revoked_at, i.created_at, t.slug, t.name, t.status,
       EXISTS (SELECT 1 FROM public.users u WHERE u.email = i.email) AS has_account
FROM public.invitations i JOIN public.tenants t ON t.id = i.tenant_id
WHERE i.token_hash = $1
"""


async def find_invitation(token: str, *, lock: bool = False) -> InvitationLookup | None:
    """Look an invitation up by the token from its link (as the app role, outside any tenant)."""
    if not token or len(token) > 128:
        return None
    async with get_engine().transaction() as transaction:
        query = _LOOKUP + (" FOR UPDATE OF i" if lock else "")
        row = await transaction.connection.fetchrow(query, hash_token(token))
    if row is None:
        return None
    return InvitationLookup(
        invitation=_record(dict(row)),
        tenant_slug=row["slug"],
        tenant_name=row["name"],
        tenant_active=row["status"] == TenantStatus.ACTIVE,
        has_account=row["has_account"],
    )


@dataclass(frozen=True)
class NewAccount:
    """What the accept page asks someone without an account for."""

    full_name: str
    password: str


def validate_new_account(email: str, account: NewAccount) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = account.full_name.strip()
    if not name:
        errors["full_name"] = _("Enter your name.")
    elif len(name) > 200:
        errors["full_name"] = _("Use at most %(count)s characters.", count=200)
    if problems := password_problems(account.password, email, name):
        errors["password"] = " ".join(problems)
    return errors


_UPSERT_MEMBERSHIP = """
INSERT INTO public.memberships (user_id, tenant_id, role, is_active, created_at)
VALUES ($1, $2, $3, true, now())
ON CONFLICT (user_id, tenant_id) DO UPDATE SET role = excluded.role, is_active = true
"""

JoinedHook = Callable[[InvitationRecord, UserRecord], Awaitable[None]]


async def accept_invitation(
    token: str,
    *,
    user_id: int | None = None,
    new_account: NewAccount | None = None,
    on_joined: JoinedHook | None = None,
) -> tuple[InvitationLookup, UserRecord]:
    """Use an invitation: join its tenant as an existing user or as a new account, in one transaction.

    A signed-in user must be the invited address: the link went to that mailbox, and joining another
    account with it would let a forwarded or leaked link attach any account to the tenant. Without a
    sign-in, a new account is created for the invited address (the link proves the mailbox is theirs).

    Args:
        user_id: the signed-in user accepting; or
        new_account: name and password for a new account with the invited address.
        on_joined: awaited last, inside the same transaction (the tenant's audit entry).

    Raises:
        InvitationError: unknown, expired, revoked or used link; tenant suspended; wrong account;
            an account exists for the address but nobody signed in.
        IdentityError: the new account's fields are invalid (``errors`` per field).
    """
    async with get_engine().transaction():
        found = await find_invitation(token, lock=True)
        if found is None:
            raise InvitationError("not_found")
        invitation = found.invitation
        if invitation.status != "pending":
            raise InvitationError(invitation.status)
        if not found.tenant_active:
            raise InvitationError("tenant_inactive")
        user: UserRecord | None
        if user_id is not None:
            user = await get_user(user_id)
            if user is None or user.email != invitation.email:
                raise InvitationError("email_mismatch")
        else:
            if found.has_account or new_account is None:
                raise InvitationError("account_exists")
            errors = validate_new_account(invitation.email, new_account)
            if errors:
                raise IdentityError(errors)
            user = await create_user(invitation.email, new_account.full_name, new_account.password)
        connection = _connection()
        await connection.execute(_UPSERT_MEMBERSHIP, user.id, invitation.tenant_id, invitation.role)
        await Invitation.update(
            {Invitation.accepted_at: datetime.now(UTC), Invitation.accepted_user_id: user.id}
        ).where(Invitation.id == invitation.id)
        await OperatorAudit.insert(
            OperatorAudit(
                actor=user.email,
                action="invitation.accepted",
                tenant_id=invitation.tenant_id,
                details={"invitation_id": invitation.id, "user_id": user.id, "role": invitation.role},
                created_at=datetime.now(UTC),
            )
        )
        if on_joined is not None:
            await on_joined(invitation, user)
    return found, user
