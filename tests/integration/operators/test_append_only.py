"""Both audit logs are append-only: ``public.operator_audit`` by revoked privileges and a trigger (which holds
even for the embedded superuser login), the tenant ``audit_log`` by the tenant role's grants."""

from __future__ import annotations

import asyncpg
import pytest

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.db.engine import get_engine
from sampark.platform.tenancy.context import tenant_connection, tenant_context
from sampark.tenants.audit.services import record_change


async def test_operator_audit_refuses_update_delete_truncate(database) -> None:
    await OperatorAudit.insert(OperatorAudit(actor="test", action="test.append", details={}))
    for statement in (
        "UPDATE public.operator_audit SET actor = 'someone else'",
        "DELETE FROM public.operator_audit",
        "TRUNCATE public.operator_audit",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            async with get_engine().transaction() as transaction:
                await transaction.connection.execute(statement)
    assert await OperatorAudit.exists().where(OperatorAudit.action == "test.append")


async def test_operator_audit_privileges_are_revoked(database) -> None:
    async with get_engine().transaction() as transaction:
        rows = await transaction.connection.fetch(
            "SELECT privilege_type FROM information_schema.role_table_grants"
            " WHERE table_schema = 'public' AND table_name = 'operator_audit'"
        )
    granted = {row["privilege_type"] for row in rows}
    assert "INSERT" in granted and not granted & {"UPDATE", "DELETE", "TRUNCATE"}


async def test_tenant_audit_log_refuses_update_and_delete(tenant) -> None:
    async with tenant_context(slug=tenant.slug):
        await record_change("create", "contact", 1, after={"first_name": "A"})
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            async with tenant_context(slug=tenant.slug):
                await tenant_connection().execute(statement)
