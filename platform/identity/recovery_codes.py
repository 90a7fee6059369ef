"""Single-use recovery codes, shared by tenant users and platform operators.

Each holder kind has its own table (``recovery_codes`` for users, ``operator_recovery_codes`` for operators)
with the same columns: the owner's foreign key, ``code_hash``, ``created_at`` and ``used_at``. Codes are stored
as salted SHA-256 digests (60 random bits each, which no offline search covers) and do not depend on the
secret key, so they still work if that key is ever rotated.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from piccolo.columns import Column
from piccolo.table import Table

from sampark.platform.db.engine import get_engine
from sampark.platform.identity import totp

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt
_RECOVERY_LENGTH = 12  # 31**12 is about 2**59


def new_code() -> str:
    """A fresh code, grouped as ``xxxx-xxxx-xxxx``."""
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class RecoveryCodeBook:
    """The recovery codes of one kind of holder, kept in ``table`` under the foreign key ``owner``.

    Args:
        table: the Piccolo table (``owner``, ``code_hash``, ``created_at``, ``used_at`` columns).
        owner: the name of the owner's foreign-key column.
        salt: mixed into every digest before the owner id, so one kind's digest never matches another's.
    """

    def __init__(self, table: type[Table], owner: str, salt: str) -> None:
        self.table = table
        self.owner = owner
        self.salt = salt

    def _column(self, name: str) -> Column:
        column: Column = getattr(self.table, name)
        return column

    def digest(self, owner_id: int, code: str) -> str:
        normalized = "".join(ch for ch in code.lower() if ch.isalnum())
        return hashlib.sha256(f"{self.salt}:{owner_id}:{normalized}".encode()).hexdigest()

    async def replace(self, owner_id: int) -> list[str]:
        """Replace every code of the owner with new ones (inside the caller's transaction, if any)."""
        codes = [new_code() for _ in range(RECOVERY_CODE_COUNT)]
        now = datetime.now(UTC)
        await self.table.delete().where(self._column(self.owner) == owner_id)
        rows: list[dict[str, Any]] = [
            {self.owner: owner_id, "code_hash": self.digest(owner_id, c), "created_at": now} for c in codes
        ]
        await self.table.insert(*[self.table(**row) for row in rows])
        return codes

    async def renew(self, owner_id: int) -> list[str]:
        """Replace every code in a transaction of its own and return the new ones (shown once, never again)."""
        async with get_engine().transaction():
            return await self.replace(owner_id)

    async def use(self, owner_id: int, code: str) -> bool:
        """Spend one unused code; True when it was valid. A code works once, even under a race."""
        if not code.strip():
            return False
        used_at = self._column("used_at")
        spent = await (
            self.table.update({used_at: datetime.now(UTC)})
            .where(
                (self._column(self.owner) == owner_id)
                & (self._column("code_hash") == self.digest(owner_id, code))
                & used_at.is_null()
            )
            .returning(self._column("id"))
        )
        return bool(spent)

    async def remaining(self, owner_id: int) -> int:
        """How many unused codes the owner has left."""
        return await self.table.count().where(
            (self._column(self.owner) == owner_id) & self._column("used_at").is_null()
        )

    async def clear(self, owner_id: int) -> None:
        await self.table.delete().where(self._column(self.owner) == owner_id)


def looks_like_totp(code: str) -> bool:
    """Whether ``code`` has the shape of a TOTP code (digits only) rather than a recovery code."""
    normalized = totp.normalize_code(code)
    return len(normalized) == totp.DIGITS and normalized.isdigit()


async def check_second_factor(
    code: str,
    verify_totp: Callable[[str], Awaitable[bool]],
    use_recovery_code: Callable[[str], Awaitable[bool]],
) -> str | None:
    """Check a TOTP code, or else a recovery code; return ``"totp"``, ``"recovery"`` or None."""
    if looks_like_totp(code):
        return "totp" if await verify_totp(code) else None
    return "recovery" if await use_recovery_code(code) else None
