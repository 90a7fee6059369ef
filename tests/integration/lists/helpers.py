"""Records for the list tests (deals, leads, companies), created through their services as a member."""

from __future__ import annotations

import csv
import io
from typing import Any

from sampark.platform.tenancy.context import TenantRecord, tenant_context
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.deals.services import create_deal
from sampark.tenants.leads.services import create_lead
from tests.support.web import Member, acting_in


async def add_deal(tenant: TenantRecord, member: Member, name: str, **fields: Any) -> Any:
    async with acting_in(tenant, member):
        return await create_deal({"name": name, "amount": "100", "currency": "EUR", **fields})


async def add_lead(tenant: TenantRecord, member: Member, first_name: str, **fields: Any) -> Any:
    async with acting_in(tenant, member):
        return await create_lead(
            {"first_name": first_name, "last_name": "Lead", **fields}, allow_duplicate=True
        )


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.text)))


async def audit_entries(tenant: TenantRecord, action: str, object_type: str) -> list[dict[str, Any]]:
    async with tenant_context(slug=tenant.slug):
        return await (
            AuditEntry.select()
            .where((AuditEntry.action == action) & (AuditEntry.object_type == object_type))
            .order_by(AuditEntry.id)
        )
