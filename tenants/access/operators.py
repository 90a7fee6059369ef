"""A platform operator inside a tenant: the principal they act as, the context they read in, and the audit of
every access (in the tenant's own log, where its admins see it, and in ``public.operator_audit``).

Without elevation the operator may only view, and the transaction is ``READ ONLY`` so PostgreSQL refuses a
write even if a rule here were wrong. Elevated (a reason given, time-boxed by the web layer) the operator acts
with the built-in admin permissions, and every audit entry written meanwhile names them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sampark.platform.db.engine import get_engine
from sampark.platform.operators.accounts import OperatorRecord
from sampark.platform.operators.console import TenantRow, record
from sampark.platform.tenancy.context import TenantRecord, tenant_connection, tenant_context
from sampark.platform.tenancy.tables import TenantStatus
from sampark.tenants.access.catalog import BUILTIN_ROLES, Permissions
from sampark.tenants.access.policy import Principal, acting_as
from sampark.tenants.audit.services import acting_operator, record_change

ROLE_KEY = "operator"
# The tenant audit log's object type for operator access entries (actions below).
OBJECT_TYPE = "operator_access"
VIEW, ELEVATE, ELEVATED_VIEW, SUSPEND, RESUME = "view", "elevate", "elevated_view", "suspend", "resume"


def _view_only(permissions: Permissions) -> Permissions:
    return {obj: {"view": actions["view"]} for obj, actions in permissions.items() if "view" in actions}


def operator_principal(*, elevated: bool) -> Principal:
    """Who an operator is inside a tenant: view-only, or an admin while elevated. Never a member."""
    admin = BUILTIN_ROLES["admin"][1]
    return Principal(user_id=None, role_key=ROLE_KEY, permissions=admin if elevated else _view_only(admin))


async def record_access(
    operator: OperatorRecord, tenant: TenantRow, action: str, *, path: str = "", **details: Any
) -> None:
    """Write one operator access to ``operator_audit`` and to the tenant's audit log, in one transaction.

    A suspended tenant's schema cannot be entered, so its accesses go to ``operator_audit`` only.
    """
    async with get_engine().transaction():
        await record(operator, f"tenant.{action}", tenant.id, slug=tenant.slug, path=path, **details)
        if tenant.status != TenantStatus.ACTIVE:
            return
        async with tenant_context(tenant_id=tenant.id):
            await record_change(
                action,
                OBJECT_TYPE,
                operator.id,
                after={"operator": operator.email, "path": path or None, **details},
            )


@asynccontextmanager
async def operator_tenant(
    slug: str, operator: OperatorRecord, *, elevated: bool
) -> AsyncIterator[TenantRecord]:
    """Open the tenant's context for an operator: read-only (enforced by the database) unless elevated.

    Raises:
        TenantNotFound: no active tenant has this slug.
    """
    async with tenant_context(slug=slug) as tenant:
        if not elevated:
            await tenant_connection().execute("SET TRANSACTION READ ONLY")
        with acting_as(operator_principal(elevated=elevated)):
            if elevated:
                with acting_operator(operator.email):
                    yield tenant
            else:
                yield tenant
