"""The audit log as CSV: one header row, then one line per entry, guarded against spreadsheet formula injection."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC
from typing import Any

from sampark.platform.csv_cells import csv_line
from sampark.platform.i18n import gettext as _
from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.access.policy import acting_as, load_principal
from sampark.tenants.audit.queries import AuditFilters, AuditRow, export_entries


def header() -> list[str]:
    return [
        _("Time (UTC)"),
        _("Actor id"),
        _("Actor"),
        _("Action"),
        _("Object type"),
        _("Object id"),
        _("Changes"),
    ]


def cells(row: AuditRow) -> list[Any]:
    return [
        row.created_at.astimezone(UTC).isoformat(),
        row.actor_user_id if row.actor_user_id is not None else "",
        row.actor,
        row.action,
        row.object_type,
        row.object_id if row.object_id is not None else "",
        json.dumps(row.changes, ensure_ascii=False, sort_keys=True),
    ]


async def csv_stream(slug: str, user_id: int, filters: AuditFilters) -> AsyncIterator[str]:
    """CSV text for every matching entry.

    Litestar closes the request's dependencies (and so its tenant transaction) before it sends a streamed
    body, so the stream opens its own tenant context as the same member, re-checking membership and role.
    """
    async with tenant_context(slug=slug, member_user_id=user_id) as tenant:
        with acting_as(await load_principal(user_id, tenant.member_role or "")):
            yield csv_line(header())
            async for row in export_entries(filters):
                yield csv_line(cells(row))
