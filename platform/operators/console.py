"""What the operator console reads and changes in the platform schema: tenants, their members, statuses,
and the operator audit itself. Every change an operator makes is written to ``operator_audit`` in the same
transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.db.engine import get_engine
from sampark.platform.db.placements import database_for
from sampark.platform.i18n import gettext as _
from sampark.platform.operators.accounts import OperatorError, OperatorRecord, get_operator, set_operator_role
from sampark.platform.tenancy.tables import TenantStatus

PAGE_SIZE = 50
STATUSES = (TenantStatus.ACTIVE, TenantStatus.SUSPENDED)

_LIST = """
SELECT t.id, t.slug, t.name, t.region, t.placement, t.status, t.created_at,
       (SELECT count(*) FROM public.memberships m WHERE m.tenant_id = t.id AND m.is_active) AS members
FROM public.tenants t
WHERE ($1::text IS NULL OR t.slug ILIKE $1 ESCAPE '\\' OR t.name ILIKE $1 ESCAPE '\\')
  AND ($2::text IS NULL OR t.status = $2)
  AND ($3::bigint IS NULL OR t.id < $3)
ORDER BY t.id DESC LIMIT $4
"""
_ONE = _LIST.replace("WHERE ($1::text", "WHERE t.slug = $5 AND ($1::text")


@dataclass(frozen=True)
class TenantRow:
    id: int
    slug: str
    name: str
    region: str
    placement: str
    status: str
    created_at: datetime
    members: int
    # Billing plans are not built yet; the console shows this placeholder until they are.
    plan: str = ""

    @property
    def database(self) -> str:
        """Which database server holds the tenant's data: ``home`` or a placement database's name."""
        return database_for(self.placement).name


@dataclass(frozen=True)
class TenantList:
    rows: list[TenantRow]
    next_before: int | None


def _like(search: str) -> str | None:
    text = search.strip()[:100]
    if not text:
        return None
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def _fetch(*args: Any) -> list[Any]:
    async with get_engine().transaction() as transaction:
        return list(await transaction.connection.fetch(*args))


async def list_tenants(
    search: str = "", status: str | None = None, before: int | None = None, limit: int = PAGE_SIZE
) -> TenantList:
    """Newest tenants first, matched on slug or name; ``status`` must be one of ``STATUSES`` (else ignored)."""
    status = status if status in STATUSES else None
    rows = await _fetch(_LIST, _like(search), status, before, limit + 1)
    tenants = [TenantRow(**dict(row)) for row in rows[:limit]]
    return TenantList(tenants, tenants[-1].id if len(rows) > limit else None)


async def find_tenant(slug: str) -> TenantRow | None:
    """One tenant by slug, whatever its status."""
    rows = await _fetch(_ONE, None, None, None, 1, slug)
    return TenantRow(**dict(rows[0])) if rows else None


async def record(operator: OperatorRecord, action: str, tenant_id: int | None, **details: Any) -> None:
    """Append one operator action to ``operator_audit`` (joins the caller's transaction when one is open)."""
    await OperatorAudit.insert(
        OperatorAudit(
            actor=operator.email,
            action=action,
            tenant_id=tenant_id,
            details={"operator_id": operator.id, **details},
        )
    )


async def set_tenant_status(
    operator: OperatorRecord, slug: str, status: str, reason: str
) -> TenantRow | None:
    """Suspend or resume a tenant, audited in the same transaction; None when there is no such tenant."""
    if status not in STATUSES:
        raise ValueError(status)
    async with get_engine().transaction() as transaction:
        before = await transaction.connection.fetchrow(
            "SELECT id, status FROM public.tenants WHERE slug = $1 FOR UPDATE", slug
        )
        if before is None:
            return None
        await transaction.connection.execute(
            "UPDATE public.tenants SET status = $2, updated_at = now() WHERE id = $1", before["id"], status
        )
        action = "tenant.suspend" if status == TenantStatus.SUSPENDED else "tenant.resume"
        await record(
            operator, action, before["id"], slug=slug, reason=reason, to=status, **{"from": before["status"]}
        )
    return await find_tenant(slug)


async def change_operator_role(actor: OperatorRecord, operator_id: int, role: str) -> OperatorRecord | None:
    """An admin gives another operator ``role``, audited in the same transaction; None for an unknown operator.

    Raises:
        OperatorError: an unknown role, or the actor's own account (an admin cannot lock themselves out).
    """
    if operator_id == actor.id:
        raise OperatorError({"role": _("You cannot change your own role.")})
    async with get_engine().transaction():
        before = await get_operator(operator_id)
        if before is None:
            return None
        changed = await set_operator_role(before.email, role)
        assert changed is not None
        await record(
            actor,
            "operator.set_role",
            None,
            target_id=before.id,
            email=before.email,
            role=role,
            **{"from": before.role},
        )
    return changed


@dataclass(frozen=True)
class AuditLine:
    id: int
    actor: str
    action: str
    tenant_id: int | None
    details: dict[str, Any]
    created_at: datetime


async def recent_audit(tenant_id: int | None = None, limit: int = 50) -> list[AuditLine]:
    """The latest operator-audit rows, all of them or one tenant's."""
    query = OperatorAudit.select().order_by(OperatorAudit.id, ascending=False).limit(limit)
    if tenant_id is not None:
        query = query.where(OperatorAudit.tenant_id == tenant_id)
    return [AuditLine(**row) for row in await query.output(load_json=True)]
