"""The audit viewer's date filters are days in the reader's time zone, not UTC days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from httpx import AsyncClient

from sampark.platform.i18n.preferences import set_user_time_zone
from sampark.platform.tenancy.context import tenant_connection, tenant_context
from tests.support.web import make_member, sign_in

# Two entries either side of midnight in Kolkata (UTC+5:30) and in Los Angeles (UTC-8 in January).
KOLKATA_LATE = datetime(2025, 1, 15, 18, 0, tzinfo=UTC)  # 23:30 on the 15th in Kolkata
KOLKATA_EARLY = datetime(2025, 1, 15, 18, 45, tzinfo=UTC)  # 00:15 on the 16th in Kolkata
LA_LATE = datetime(2025, 1, 16, 7, 45, tzinfo=UTC)  # 23:45 on the 15th in Los Angeles
LA_EARLY = datetime(2025, 1, 16, 8, 15, tzinfo=UTC)  # 00:15 on the 16th in Los Angeles


async def _seed(tenant) -> dict[datetime, int]:
    ids = {}
    async with tenant_context(slug=tenant.slug):
        for moment in (KOLKATA_LATE, KOLKATA_EARLY, LA_LATE, LA_EARLY):
            ids[moment] = await tenant_connection().fetchval(
                "INSERT INTO audit_log (action, object_type, object_id, created_at)"
                " VALUES ('update', 'contact', 1, $1) RETURNING object_id + id",
                moment,
            )
    return ids


def _shown(page: str) -> int:
    return page.count('class="audit-entry"')


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        # Kolkata's 16 January runs from 18:30 UTC on the 15th: the 18:45 and both later entries.
        ("Asia/Kolkata", "2025-01-16", 3),
        ("Asia/Kolkata", "2025-01-15", 1),
        # Los Angeles' 15 January ends at 08:00 UTC on the 16th: everything but the 08:15 entry.
        ("America/Los_Angeles", "2025-01-15", 3),
        ("America/Los_Angeles", "2025-01-16", 1),
        ("UTC", "2025-01-15", 2),
    ],
)
async def test_date_filters_use_the_readers_zone(
    client: AsyncClient, tenant, zone: str, day: str, expected: int
) -> None:
    admin = await make_member(tenant)
    await _seed(tenant)
    await set_user_time_zone(admin.id, zone)
    await sign_in(client, admin)
    page = await client.get(
        f"/t/{tenant.slug}/admin/audit/", params={"object_type": "contact", "date_from": day, "date_to": day}
    )
    assert page.status_code == 200
    assert _shown(page.text) == expected
    assert zone in page.text  # the page says which zone the dates are in
    assert date.fromisoformat(day)
