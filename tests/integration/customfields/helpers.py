"""Field definitions for custom-field tests, created through the service as the given member."""

from __future__ import annotations

from typing import Any

from sampark.platform.tenancy.context import TenantRecord
from sampark.tenants.customfields.services import create_field
from tests.support.web import Member, acting_in

TIER = {
    "key": "tier", "type": "select", "label": "Tier", "labels": {"de": "Stufe"},
    "options": [{"key": "gold", "label": "Gold", "labels": {"de": "Gold-DE"}}, {"key": "silver", "label": "Silver"}],
}  # fmt: skip


async def add_field(tenant: TenantRecord, member: Member, obj: str = "contacts", **data: Any) -> int:
    async with acting_in(tenant, member):
        return (await create_field(obj, data)).id
