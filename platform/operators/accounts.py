"""Operator accounts: create, list, disable, roles, sign in, the mandatory TOTP second factor, recovery codes.

Operators share the password rules, argon2id hashing, TOTP maths and secret sealing of tenant users
(platform/identity), but not their table, sessions or sign-in page: an operator is never a tenant member.
Secrets are sealed under ``operator:<id>``, so a user's sealed secret copied onto an operator does not open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from sampark.platform.db.engine import get_engine
from sampark.platform.i18n import gettext as _
from sampark.platform.identity import totp
from sampark.platform.identity.passwords import (
    MAX_LENGTH,
    dummy_hash,
    hash_password_async,
    needs_rehash,
    password_problems,
    verify_password_async,
)
from sampark.platform.identity.recovery_codes import RecoveryCodeBook, check_second_factor
from sampark.platform.identity.two_factor import open_secret, seal_secret
from sampark.platform.identity.users import normalize_email, validate_email
from sampark.platform.operators import roles
from sampark.platform.operators.tables import Operator, OperatorRecoveryCode

# Salted apart from users' codes, so a user's code digest never matches an operator's.
OPERATOR_CODES = RecoveryCodeBook(OperatorRecoveryCode, "operator", salt="sampark-operator-recovery")

_COLUMNS = (
    Operator.id,
    Operator.email,
    Operator.full_name,
    Operator.is_active,
    Operator.created_at,
    Operator.last_login_at,
    Operator.totp_enabled_at,
    Operator.role,
)


class OperatorError(ValueError):
    """The operator cannot be created or changed as asked; ``errors`` maps a field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class OperatorRecord:
    id: int
    email: str
    full_name: str
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None
    totp_enabled_at: datetime | None
    role: str

    @property
    def has_totp(self) -> bool:
        return self.totp_enabled_at is not None

    def can(self, capability: str) -> bool:
        """Whether the operator's role allows ``capability`` (platform/operators/roles.py)."""
        return roles.allows(self.role, capability)


def _subject(operator_id: int) -> str:
    return f"operator:{operator_id}"


def _record(row: dict[str, Any]) -> OperatorRecord:
    return OperatorRecord(**{column._meta.name: row[column._meta.name] for column in _COLUMNS})


async def get_operator(operator_id: int) -> OperatorRecord | None:
    row = await Operator.select(*_COLUMNS).where(Operator.id == operator_id).first()
    return _record(row) if row else None


async def get_active_operator(operator_id: int) -> OperatorRecord | None:
    """The operator when the account is still active (checked on every console request)."""
    operator = await get_operator(operator_id)
    return operator if operator is not None and operator.is_active else None


async def find_operator(email: str) -> OperatorRecord | None:
    row = await Operator.select(*_COLUMNS).where(Operator.email == normalize_email(email)).first()
    return _record(row) if row else None


async def list_operators() -> list[OperatorRecord]:
    return [_record(row) for row in await Operator.select(*_COLUMNS).order_by(Operator.email)]


def _role_problem(role: str) -> str | None:
    if role in roles.ROLES:
        return None
    return _("Choose a role: %(roles)s.", roles=", ".join(roles.ROLES))


async def create_operator(
    email: str, full_name: str, password: str, role: str = roles.DEFAULT_ROLE
) -> OperatorRecord:
    """Create an active operator who must enrol TOTP at first sign-in.

    Raises:
        OperatorError: a bad address, name, password or role, or the address is taken.
    """
    email, full_name = normalize_email(email), full_name.strip()
    errors: dict[str, str] = {}
    if (problem := _role_problem(role)) is not None:
        errors["role"] = problem
    if (problem := validate_email(email)) is not None:
        errors["email"] = problem
    if not full_name:
        errors["name"] = _("Enter a name.")
    if problems := password_problems(password, email, full_name):
        errors["password"] = " ".join(problems)
    if errors:
        raise OperatorError(errors)
    try:
        rows = await Operator.insert(
            Operator(
                email=email,
                full_name=full_name,
                password_hash=await hash_password_async(password),
                created_at=datetime.now(UTC),
                role=role,
            )
        ).returning(*_COLUMNS)
    except asyncpg.UniqueViolationError:
        raise OperatorError({"email": _("An operator with this address exists already.")}) from None
    return _record(rows[0])


async def set_operator_active(email: str, active: bool) -> OperatorRecord | None:
    """Disable (or re-enable) an operator; their open sessions stop working at their next request."""
    rows = await (
        Operator.update({Operator.is_active: active})
        .where(Operator.email == normalize_email(email))
        .returning(*_COLUMNS)
    )
    return _record(rows[0]) if rows else None


async def set_operator_role(email: str, role: str) -> OperatorRecord | None:
    """Give the operator another role; it holds from their next console request.

    Raises:
        OperatorError: an unknown role.
    """
    if (problem := _role_problem(role)) is not None:
        raise OperatorError({"role": problem})
    rows = await (
        Operator.update({Operator.role: role})
        .where(Operator.email == normalize_email(email))
        .returning(*_COLUMNS)
    )
    return _record(rows[0]) if rows else None


async def authenticate_operator(email: str, password: str) -> OperatorRecord | None:
    """The active operator with this address and password, else None (the same time either way)."""
    if len(password) > MAX_LENGTH or len(email) > 640:
        password = ""
    row = await (
        Operator.select(Operator.id, Operator.password_hash, Operator.is_active)
        .where(Operator.email == normalize_email(email))
        .first()
    )
    if row is None:
        await verify_password_async(password, dummy_hash())
        return None
    if not await verify_password_async(password, row["password_hash"]) or not row["is_active"]:
        return None
    changes: dict[Any, Any] = {Operator.last_login_at: datetime.now(UTC)}
    if needs_rehash(row["password_hash"]):
        changes[Operator.password_hash] = await hash_password_async(password)
    await Operator.update(changes).where(Operator.id == row["id"])
    return await get_operator(row["id"])


async def confirm_totp(operator_id: int, secret: str, code: str, secret_key: str) -> list[str] | None:
    """Enrol ``secret`` once ``code`` proves the app has it; the confirming code is spent (no replay).

    Returns:
        The operator's new recovery codes (to show once), or None when the code does not match or the
        operator has enrolled already (nothing changes).
    """
    step = totp.matching_step(secret, code)
    if step is None:
        return None
    async with get_engine().transaction():
        updated = await (
            Operator.update(
                {
                    Operator.totp_secret: seal_secret(secret, _subject(operator_id), secret_key),
                    Operator.totp_enabled_at: datetime.now(UTC),
                    Operator.totp_last_step: step,
                }
            )
            .where((Operator.id == operator_id) & Operator.totp_enabled_at.is_null())
            .returning(Operator.id)
        )
        return await OPERATOR_CODES.replace(operator_id) if updated else None


async def verify_totp(operator_id: int, code: str, secret_key: str) -> bool:
    """A current code never accepted before; the last step moves forward atomically (no replay)."""
    row = await (
        Operator.select(Operator.totp_secret, Operator.totp_last_step)
        .where((Operator.id == operator_id) & Operator.totp_enabled_at.is_not_null())
        .first()
    )
    if row is None:
        return False
    secret = open_secret(row["totp_secret"], _subject(operator_id), secret_key)
    step = totp.matching_step(secret, code) if secret else None
    if step is None or step <= row["totp_last_step"]:
        return False
    moved = await (
        Operator.update({Operator.totp_last_step: step})
        .where((Operator.id == operator_id) & (Operator.totp_last_step < step))
        .returning(Operator.id)
    )
    return bool(moved)


async def verify_second_factor(operator_id: int, code: str, secret_key: str) -> str | None:
    """Check a TOTP code, or else a recovery code; return ``"totp"``, ``"recovery"`` or None."""
    return await check_second_factor(
        code,
        lambda totp_code: verify_totp(operator_id, totp_code, secret_key),
        lambda recovery_code: OPERATOR_CODES.use(operator_id, recovery_code),
    )


async def recovery_codes_left(operator_id: int) -> int:
    return await OPERATOR_CODES.remaining(operator_id)


async def renew_recovery_codes(operator_id: int) -> list[str]:
    """Replace the operator's recovery codes with 10 new ones (the caller checked a current TOTP code)."""
    return await OPERATOR_CODES.renew(operator_id)


async def reset_totp(email: str) -> OperatorRecord | None:
    """Forget an operator's TOTP secret and recovery codes (lost device): they enrol again at next sign-in."""
    async with get_engine().transaction():
        rows = await (
            Operator.update(
                {Operator.totp_secret: "", Operator.totp_enabled_at: None, Operator.totp_last_step: 0}
            )
            .where(Operator.email == normalize_email(email))
            .returning(*_COLUMNS)
        )
        if not rows:
            return None
        await OPERATOR_CODES.clear(rows[0]["id"])
    return _record(rows[0])
