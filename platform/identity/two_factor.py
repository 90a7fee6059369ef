"""Two-factor authentication: TOTP enrolment, verification without replay, recovery codes, tenant policy.

The TOTP secret is stored encrypted (AES-GCM under a key derived from the app's secret key, bound to the
user id), so a database dump alone does not yield working codes. Recovery codes are digests
(platform/identity/recovery_codes.py, shared with operators).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from piccolo.columns import BigSerial, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.platform.db.engine import get_engine
from sampark.platform.identity import totp
from sampark.platform.identity.login_audit import app_connection
from sampark.platform.identity.passwords import verify_password_async
from sampark.platform.identity.recovery_codes import RecoveryCodeBook, check_second_factor
from sampark.platform.identity.tables import Membership, User
from sampark.platform.tenancy.tables import Tenant, TenantStatus

_CIPHER_VERSION = "v1"


class RecoveryCode(Table, schema="public", tablename="recovery_codes"):
    """One single-use recovery code, as a digest. ``used_at`` is set when it is spent."""

    id = BigSerial(primary_key=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, db_column_name="user_id", index=True)
    code_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    enabled_at: datetime | None
    recovery_codes_left: int


# ---- the secret at rest ---------------------------------------------------------------------------------


def _cipher(secret_key: str) -> AESGCM:
    key = hmac.new(secret_key.encode(), b"sampark:totp-secret:v1", hashlib.sha256).digest()
    return AESGCM(key)


def seal_secret(secret: str, user_id: int | str, secret_key: str) -> str:
    """Encrypt a TOTP secret for storage; the user id is bound in, so a sealed secret cannot be moved."""
    nonce = secrets.token_bytes(12)
    sealed = _cipher(secret_key).encrypt(nonce, secret.encode(), str(user_id).encode())
    return f"{_CIPHER_VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def open_secret(stored: str, user_id: int | str, secret_key: str) -> str | None:
    """The TOTP secret of a stored value; None when it is empty or cannot be opened (another key, tampering)."""
    version, _, payload = stored.partition(".")
    if version != _CIPHER_VERSION or not payload:
        return None
    try:
        raw = base64.urlsafe_b64decode(payload)
        return _cipher(secret_key).decrypt(raw[:12], raw[12:], str(user_id).encode()).decode()
    except (InvalidTag, ValueError):
        return None


# ---- recovery codes (platform/identity/recovery_codes.py) ------------------------------------------------

USER_CODES = RecoveryCodeBook(RecoveryCode, "user", salt="sampark-recovery")


async def renew_recovery_codes(user_id: int) -> list[str]:
    """Replace every recovery code of the user with 10 new ones and return them (shown once, never again)."""
    return await USER_CODES.renew(user_id)


async def use_recovery_code(user_id: int, code: str) -> bool:
    """Spend one unused recovery code; True when it was valid. A code works once, even under a race."""
    return await USER_CODES.use(user_id, code)


# ---- enrolment and verification -------------------------------------------------------------------------


async def status(user_id: int) -> TwoFactorStatus:
    row = await User.select(User.totp_enabled_at).where(User.id == user_id).first()
    enabled_at = row["totp_enabled_at"] if row else None
    left = await USER_CODES.remaining(user_id)
    return TwoFactorStatus(enabled=enabled_at is not None, enabled_at=enabled_at, recovery_codes_left=left)


async def is_enabled(user_id: int) -> bool:
    return await User.exists().where((User.id == user_id) & User.totp_enabled_at.is_not_null())


async def confirm_enrolment(user_id: int, secret: str, code: str, secret_key: str) -> list[str] | None:
    """Turn 2FA on with ``secret`` once ``code`` proves the app has it; return the new recovery codes.

    Returns:
        The 10 recovery codes (to show once), or None when the code does not match (nothing changes).
    """
    step = totp.matching_step(secret, code)
    if step is None:
        return None
    async with get_engine().transaction():
        await User.update(
            {
                User.totp_secret: seal_secret(secret, user_id, secret_key),
                User.totp_enabled_at: datetime.now(UTC),
                # The confirming code is spent: it cannot be replayed to sign in.
                User.totp_last_step: step,
            }
        ).where(User.id == user_id)
        return await USER_CODES.replace(user_id)


async def verify_totp(user_id: int, code: str, secret_key: str) -> bool:
    """True when ``code`` is a current TOTP code of the user that was never accepted before.

    The last accepted step is moved forward atomically, so the same code (or an older one) is refused even
    when two requests race with it.
    """
    row = await (
        User.select(User.totp_secret, User.totp_last_step)
        .where((User.id == user_id) & User.totp_enabled_at.is_not_null())
        .first()
    )
    if row is None:
        return False
    secret = open_secret(row["totp_secret"], user_id, secret_key)
    if secret is None:
        return False
    step = totp.matching_step(secret, code)
    if step is None or step <= row["totp_last_step"]:
        return False
    moved = await (
        User.update({User.totp_last_step: step})
        .where((User.id == user_id) & (User.totp_last_step < step))
        .returning(User.id)
    )
    return bool(moved)


async def verify_second_factor(user_id: int, code: str, secret_key: str) -> str | None:
    """Check a TOTP code, or else a recovery code; return "totp", "recovery" or None."""
    return await check_second_factor(
        code,
        lambda totp_code: verify_totp(user_id, totp_code, secret_key),
        lambda recovery_code: use_recovery_code(user_id, recovery_code),
    )


async def check_password(user_id: int, password: str) -> bool:
    """Whether ``password`` is the user's current one (re-confirming before a sensitive change)."""
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    return bool(row) and bool(password) and await verify_password_async(password, row["password_hash"])


async def disable(user_id: int) -> None:
    """Turn 2FA off and forget the secret and recovery codes (the caller checked password and code)."""
    async with get_engine().transaction():
        await User.update({User.totp_secret: "", User.totp_enabled_at: None, User.totp_last_step: 0}).where(
            User.id == user_id
        )
        await USER_CODES.clear(user_id)


# ---- tenant policy --------------------------------------------------------------------------------------


async def tenant_requires_2fa(slug: str) -> bool:
    """Whether the tenant makes 2FA mandatory for its members (False for unknown tenants)."""
    return await Tenant.exists().where((Tenant.slug == slug) & Tenant.require_2fa.eq(True))


async def set_tenant_requires_2fa(tenant_id: int, required: bool) -> None:
    """Change the tenant's 2FA policy; works from inside a tenant request (on the app role's connection)."""
    async with app_connection() as connection:
        await connection.execute(
            "UPDATE public.tenants SET require_2fa = $2, updated_at = now() WHERE id = $1",
            tenant_id,
            required,
        )


@dataclass(frozen=True)
class TenantPolicy:
    """A tenant's 2FA policy, and how many of its active members have not turned 2FA on yet."""

    require_2fa: bool
    members_without_2fa: int


_POLICY = """
SELECT t.require_2fa,
       (SELECT count(*) FROM public.memberships m JOIN public.users u ON u.id = m.user_id
        WHERE m.tenant_id = t.id AND m.is_active AND u.is_active AND u.totp_enabled_at IS NULL) AS without_2fa
FROM public.tenants t WHERE t.id = $1
"""


async def tenant_policy(tenant_id: int) -> TenantPolicy:
    """Works from inside a tenant request (on the app role's connection)."""
    async with app_connection() as connection:
        row = await connection.fetchrow(_POLICY, tenant_id)
    if row is None:
        return TenantPolicy(require_2fa=False, members_without_2fa=0)
    return TenantPolicy(require_2fa=row["require_2fa"], members_without_2fa=row["without_2fa"])


async def tenants_requiring_2fa(user_id: int) -> list[str]:
    """Names of the active tenants the user belongs to that make 2FA mandatory."""
    rows = await Membership.select(Membership.tenant.name.as_alias("name")).where(
        (Membership.user == user_id)
        & Membership.is_active.eq(True)
        & Membership.tenant.require_2fa.eq(True)
        & (Membership.tenant.status == TenantStatus.ACTIVE)
    )
    return [row["name"] for row in rows]
