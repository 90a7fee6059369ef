"""Write the tenant audit log: one append-only entry per change, in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sampark.tenants.access.policy import current_principal_or_none
from sampark.tenants.audit.tables import AuditEntry

# Set while a platform operator acts in the tenant (elevated): every entry then names the operator, so the
# tenant's admins see which changes an operator made (web/ops, docs/audit.md).
OPERATOR_FIELD = "operator"
_operator: ContextVar[str | None] = ContextVar("sampark_audit_operator", default=None)


@contextmanager
def acting_operator(email: str) -> Iterator[None]:
    """Mark every audit entry written inside this block as made by the operator ``email``."""
    token = _operator.set(email)
    try:
        yield
    finally:
        _operator.reset(token)


async def record_change(
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    actor_user_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append an entry with field-level before/after for the fields that changed."""
    changes: dict[str, Any] = {}
    for field in sorted(set(before or {}) | set(after or {})):
        old, new = (before or {}).get(field), (after or {}).get(field)
        if old != new:
            changes[field] = {"before": _plain(old), "after": _plain(new)}
    if (operator := _operator.get()) is not None:
        changes[OPERATOR_FIELD] = {"before": None, "after": operator}
    acting = current_principal_or_none()
    await AuditEntry.insert(
        AuditEntry(
            actor_user_id=actor_user_id,
            # A service account acting through its key is named even though no person acted.
            actor_service_account_id=acting.service_account_id if acting is not None else None,
            action=action,
            object_type=object_type,
            object_id=object_id,
            changes=changes,
        )
    )


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)
