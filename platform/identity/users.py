"""Users: e-mail rules, creation, sign-in and the tenants a user belongs to.

The tables live in the ``public`` schema and every query here names it, so these functions work outside a
tenant context (and inside a caller's ``get_engine().transaction()``, which Piccolo joins automatically).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from sampark.platform.i18n import gettext as _
from sampark.platform.identity.passwords import (
    MAX_LENGTH,
    dummy_hash,
    hash_password_async,
    needs_rehash,
    verify_password_async,
)
from sampark.platform.identity.tables import Membership, User
from sampark.platform.tenancy.tables import TenantStatus

MAX_EMAIL_LENGTH = 254  # RFC 5321's path limit, less the angle brackets
# RFC 5322 atext plus dots, and any non-ASCII character (RFC 6531 internationalized mailboxes).
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\u0080-\U0010ffff]{1,64}$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class IdentityError(ValueError):
    """A user cannot be created or changed as asked; ``errors`` maps a field name to a translated message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class EmailTaken(IdentityError):
    """Another account already uses this e-mail address."""

    def __init__(self) -> None:
        super().__init__({"email": _("An account with this e-mail address already exists.")})


@dataclass(frozen=True)
class UserRecord:
    """A user as the rest of the app sees it: never the password hash."""

    id: int
    email: str
    full_name: str
    is_active: bool
    locale: str
    time_zone: str
    created_at: datetime
    last_login_at: datetime | None


@dataclass(frozen=True)
class MembershipRecord:
    """One tenant a user belongs to, and the role they hold there."""

    tenant_id: int
    slug: str
    name: str
    role: str


_USER_COLUMNS = (
    User.id,
    User.email,
    User.full_name,
    User.is_active,
    User.locale,
    User.time_zone,
    User.created_at,
    User.last_login_at,
)


def _user(row: dict[str, Any]) -> UserRecord:
    return UserRecord(**{column._meta.name: row[column._meta.name] for column in _USER_COLUMNS})


def normalize_email(email: str) -> str:
    """Return the form an address is stored and looked up in: trimmed, NFC, lower-cased.

    RFC 5321 lets a local part be case-sensitive, but no mainstream provider treats it so, and two accounts
    that differ only in case invite confusion and phishing; the whole address is folded.
    """
    return unicodedata.normalize("NFC", email.strip()).lower()


def validate_email(email: str) -> str | None:
    """Return why ``email`` is not a usable address (translated), or None when it is.

    A practical check, not full RFC 5322: one ``@``, a dot-atom local part, a domain of at least two
    LDH labels (IDNA-encoded first, so ``bücher.de`` passes) and a non-numeric top-level label.
    """
    email = normalize_email(email)
    if not email:
        return _("Enter an e-mail address.")
    invalid = _("Enter a valid e-mail address, like name@example.com.")
    if len(email) > MAX_EMAIL_LENGTH:
        return _("This e-mail address is too long.")
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain:
        return invalid
    if not _LOCAL_PART.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return invalid
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return invalid
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return invalid
    return None


async def get_user(user_id: int) -> UserRecord | None:
    row = await User.select(*_USER_COLUMNS).where(User.id == user_id).first()
    return _user(row) if row else None


async def get_user_by_email(email: str) -> UserRecord | None:
    row = await User.select(*_USER_COLUMNS).where(User.email == normalize_email(email)).first()
    return _user(row) if row else None


async def email_taken(email: str) -> bool:
    return await User.exists().where(User.email == normalize_email(email))


async def create_user(
    email: str, full_name: str, password: str | None, *, locale: str = "", time_zone: str = ""
) -> UserRecord:
    """Create an active user. Password rules are the caller's to check first (``password_problems``).

    Args:
        email: any case; stored normalized.
        full_name: the name shown to colleagues.
        password: the plain password to hash, or None for an account that cannot sign in with one yet
            (an invitation, single sign-on).

    Raises:
        IdentityError: the e-mail address or name is not usable.
        EmailTaken: another account has this address.
    """
    email, full_name = normalize_email(email), full_name.strip()
    errors: dict[str, str] = {}
    if (problem := validate_email(email)) is not None:
        errors["email"] = problem
    if not full_name:
        errors["full_name"] = _("Enter your name.")
    if errors:
        raise IdentityError(errors)
    if await email_taken(email):
        raise EmailTaken()
    password_hash = await hash_password_async(password) if password is not None else ""
    try:
        rows = await User.insert(
            User(
                email=email,
                full_name=full_name,
                password_hash=password_hash,
                locale=locale,
                time_zone=time_zone,
                created_at=datetime.now(UTC),
            )
        ).returning(*_USER_COLUMNS)
    except asyncpg.UniqueViolationError:
        # Another request created the same address since the check; inside a transaction that one is now
        # aborted, so the caller must let it roll back.
        raise EmailTaken() from None
    return _user(rows[0])


async def authenticate(email: str, password: str) -> UserRecord | None:
    """Return the user when ``email`` and ``password`` match an active account, else None.

    Unknown addresses are checked against a dummy hash, so the answer takes about as long either way and does
    not reveal which addresses have accounts. A hash made with older parameters is replaced on success.
    """
    if len(password) > MAX_LENGTH or len(email) > MAX_EMAIL_LENGTH * 2:
        password = ""  # still spend the time below; a huge input must not buy a different answer
    row = await (
        User.select(User.id, User.password_hash, User.is_active)
        .where(User.email == normalize_email(email))
        .first()
    )
    if row is None:
        await verify_password_async(password, dummy_hash())
        return None
    if not await verify_password_async(password, row["password_hash"]):
        return None
    if not row["is_active"]:
        return None
    changes: dict[Any, Any] = {User.last_login_at: datetime.now(UTC)}
    if needs_rehash(row["password_hash"]):
        changes[User.password_hash] = await hash_password_async(password)
    await User.update(changes).where(User.id == row["id"])
    return await get_user(row["id"])


async def set_password(user_id: int, password: str) -> None:
    """Replace a user's password (the caller checked ``password_problems`` and any current password)."""
    await User.update({User.password_hash: await hash_password_async(password)}).where(User.id == user_id)


async def set_active(user_id: int, active: bool) -> None:
    await User.update({User.is_active: active}).where(User.id == user_id)


def _membership_query() -> Any:
    return Membership.select(
        Membership.tenant.id.as_alias("tenant_id"),
        Membership.tenant.slug.as_alias("slug"),
        Membership.tenant.name.as_alias("name"),
        Membership.role,
    ).where(Membership.is_active.eq(True) & (Membership.tenant.status == TenantStatus.ACTIVE))


async def memberships_for(user_id: int) -> list[MembershipRecord]:
    """The active tenants ``user_id`` belongs to (active memberships only), by tenant name."""
    rows = await _membership_query().where(Membership.user == user_id).order_by(Membership.tenant.name)
    return [MembershipRecord(**row) for row in rows]


async def membership(user_id: int, tenant_id: int) -> MembershipRecord | None:
    """The user's active membership in an active tenant, or None."""
    row = (
        await _membership_query()
        .where((Membership.user == user_id) & (Membership.tenant.id == tenant_id))
        .first()
    )
    return MembershipRecord(**row) if row else None


async def add_membership(user_id: int, tenant_id: int, role: str) -> None:
    """Make ``user_id`` a member of ``tenant_id`` with ``role`` (one membership per user and tenant)."""
    await Membership.insert(
        Membership(user=user_id, tenant=tenant_id, role=role, is_active=True, created_at=datetime.now(UTC))
    )
