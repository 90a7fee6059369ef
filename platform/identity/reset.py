"""Password reset by e-mail: a single-use link that expires after 30 minutes.

The token in the link is never stored anywhere, not even in the outbox or the broker message: the row keeps
a random nonce and the SHA-256 of the token, and the token is ``HMAC(secret key, nonce)``. The mail actor,
which holds the secret key, derives it again from the row id it is given. Someone who reads the database
alone can neither use a pending link nor build one.

The mail goes through the outbox (written in the transaction that creates the link) and the
``account_mail.send_password_reset`` actor, so it is sent at least once and, thanks to ``mailed_at``, in
practice once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from piccolo.columns import BigSerial, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.platform.config.settings import Settings
from sampark.platform.db.engine import get_engine
from sampark.platform.i18n import DEFAULT_LOCALE, use_locale
from sampark.platform.i18n import gettext as _
from sampark.platform.identity.passwords import hash_password_async, password_problems
from sampark.platform.identity.tables import User
from sampark.platform.identity.users import normalize_email
from sampark.platform.mail import send_mail
from sampark.platform.outbox.service import enqueue

TOKEN_LIFETIME = timedelta(minutes=30)
MAIL_ACTOR = "account_mail.send_password_reset"
MAIL_QUEUE = "mail"
_MAX_TOKEN_LENGTH = 64  # a token is 43 characters; longer input is not worth hashing


class PasswordReset(Table, schema="public", tablename="password_resets"):
    """One reset link sent (or to be sent) to a user. The link's token is not stored, only its digest."""

    id = BigSerial(primary_key=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, db_column_name="user_id", index=True)
    token_hash = Varchar(length=64, unique=True)
    nonce = Varchar(length=64)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    mailed_at = Timestamptz(null=True, default=None)


class ResetError(ValueError):
    """The reset cannot be completed; ``errors`` maps "token" or "password" to a translated message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


@dataclass(frozen=True)
class ResetTicket:
    """A valid, unused reset link: whose password it changes."""

    reset_id: int
    user_id: int
    email: str
    full_name: str


def token_for(nonce: str, secret_key: str) -> str:
    """The link token of a reset row: an HMAC of its nonce under the app's secret key."""
    digest = hmac.new(secret_key.encode(), f"sampark:password-reset:{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def request_reset(email: str, secret_key: str) -> int | None:
    """Create a reset link for the active account with ``email`` and queue its mail (outbox, same transaction).

    Returns:
        The user id when an account exists (for the audit trail), else None. Callers must answer the same
        either way, so nobody learns which addresses have accounts.
    """
    row = await (
        User.select(User.id).where((User.email == normalize_email(email)) & User.is_active.eq(True)).first()
    )
    if row is None:
        return None
    nonce = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    async with get_engine().transaction():
        inserted = await PasswordReset.insert(
            PasswordReset(
                user=row["id"],
                token_hash=token_digest(token_for(nonce, secret_key)),
                nonce=nonce,
                created_at=now,
                expires_at=now + TOKEN_LIFETIME,
            )
        ).returning(PasswordReset.id)
        await enqueue(MAIL_ACTOR, inserted[0]["id"], queue_name=MAIL_QUEUE)
    return int(row["id"])


async def find_ticket(token: str) -> ResetTicket | None:
    """The reset a link token opens, when it is unused, unexpired and its account still active."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    row = await (
        PasswordReset.select(
            PasswordReset.id,
            PasswordReset.user.id.as_alias("user_id"),
            PasswordReset.user.email.as_alias("email"),
            PasswordReset.user.full_name.as_alias("full_name"),
        )
        .where(
            (PasswordReset.token_hash == token_digest(token))
            & PasswordReset.used_at.is_null()
            & (PasswordReset.expires_at > datetime.now(UTC))
            & (PasswordReset.user.is_active == True)  # noqa: E712 (a Piccolo expression, not a comparison)
        )
        .first()
    )
    if row is None:
        return None
    return ResetTicket(
        reset_id=row["id"], user_id=row["user_id"], email=row["email"], full_name=row["full_name"]
    )


def invalid_link_message() -> str:
    return _("This reset link has expired or was already used. Ask for a new one.")


async def complete_reset(token: str, password: str) -> ResetTicket:
    """Set a new password through a reset link, and spend that link and every other pending one of the user.

    The password is checked before the link is spent, so a rejected password leaves the link usable.

    Raises:
        ResetError: the link is invalid, expired or used ("token"), or the password breaks the rules.
    """
    ticket = await find_ticket(token)
    if ticket is None:
        raise ResetError({"token": invalid_link_message()})
    if problems := password_problems(password, ticket.email, ticket.full_name):
        raise ResetError({"password": " ".join(problems)})
    password_hash = await hash_password_async(password)
    now = datetime.now(UTC)
    async with get_engine().transaction():
        # Spending the link is the race-safe check: of two concurrent submissions only one updates the row.
        spent = await (
            PasswordReset.update({PasswordReset.used_at: now})
            .where((PasswordReset.id == ticket.reset_id) & PasswordReset.used_at.is_null())
            .returning(PasswordReset.id)
        )
        if not spent:
            raise ResetError({"token": invalid_link_message()})
        await PasswordReset.update({PasswordReset.used_at: now}).where(
            (PasswordReset.user == ticket.user_id) & PasswordReset.used_at.is_null()
        )
        await User.update({User.password_hash: password_hash}).where(User.id == ticket.user_id)
    return ticket


_LOCK_FOR_MAIL = """
SELECT r.nonce, r.mailed_at, r.used_at, r.expires_at, u.email, u.full_name, u.locale
FROM public.password_resets r JOIN public.users u ON u.id = r.user_id
WHERE r.id = $1 FOR UPDATE OF r
"""


async def deliver_reset_mail(settings: Settings, reset_id: int) -> bool:
    """Mail the link of ``reset_id``, at most once: True when a mail went out.

    The row is locked, so two deliveries of the same message wait for each other; ``mailed_at`` is set in
    the same transaction, so a delivery after a commit does nothing, and one after a crash sends again with
    the same Message-ID. A link already used or expired is not mailed.

    Raises:
        MailError: the SMTP server refused or could not be reached (the transaction rolls back; retry later).
    """
    async with get_engine().transaction() as transaction:
        row = await transaction.connection.fetchrow(_LOCK_FOR_MAIL, reset_id)
        if row is None or row["mailed_at"] or row["used_at"] or row["expires_at"] <= datetime.now(UTC):
            return False
        token = token_for(row["nonce"], settings.secret_key)
        with use_locale(row["locale"] or DEFAULT_LOCALE):
            subject, text = reset_mail_text(row["full_name"], f"{settings.public_url}/password/reset/{token}")
        await send_mail(
            settings, row["email"], subject, text, idempotency_key=f"password-reset:{reset_id}:{row['nonce']}"
        )
        await PasswordReset.update({PasswordReset.mailed_at: datetime.now(UTC)}).where(
            PasswordReset.id == reset_id
        )
    return True


def reset_mail_text(full_name: str, link: str) -> tuple[str, str]:
    """Subject and plain-text body of the reset mail, in the current locale."""
    subject = _("Reset your Sampark password")
    minutes = int(TOKEN_LIFETIME.total_seconds() // 60)
    body = "\n\n".join(
        [
            _("Hello %(name)s,", name=full_name),
            _("Someone asked to reset the password of your Sampark account. To choose a new one, open:"),
            link,
            _("The link works once and expires in %(minutes)s minutes.", minutes=minutes),
            _("If you did not ask for this, ignore this message: your password stays as it is."),
        ]
    )
    return subject, body + "\n"
