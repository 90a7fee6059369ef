"""Operator roles: a viewer only looks, support may also elevate, an admin may also suspend and resume. The
console hides what the role cannot do, and the server answers a translated 403 page when asked anyway."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from litestar import Litestar

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.identity.tables import Membership
from sampark.platform.operators.accounts import OperatorError, get_operator, set_operator_role
from sampark.platform.tenancy.provisioning import get_tenant
from sampark.web.locale.resolve import LOCALE_COOKIE
from tests.integration.operators.support import make_operator, ops_post, ops_sign_in
from tests.support.web import make_member


async def _member_active(tenant, user_id: int) -> bool:
    row = (
        await Membership.select(Membership.is_active)
        .where((Membership.tenant == tenant.id) & (Membership.user == user_id))
        .first()
    )
    return bool(row["is_active"])


async def _actions(email: str) -> list[str]:
    rows = await OperatorAudit.select(OperatorAudit.action).where(OperatorAudit.actor == email)
    return [row["action"] for row in rows]


async def test_a_viewer_only_looks(client: AsyncClient, app: Litestar, tenant) -> None:
    other = await make_member(tenant, role="sales")
    operator = await make_operator(app.state.settings.secret_key, role="viewer")
    await ops_sign_in(client, operator)
    page = await client.get(f"/ops/tenants/{tenant.slug}")
    assert page.status_code == 200
    assert 'id="elevate-form"' not in page.text and 'id="status-form"' not in page.text
    assert 'id="elevation-not-allowed"' in page.text
    assert (await client.get(f"/ops/tenants/{tenant.slug}/contacts")).status_code == 200

    elevate = await ops_post(client, f"/ops/tenants/{tenant.slug}/elevate", {"reason": "ticket 7"})
    assert elevate.status_code == 403 and 'id="ops-forbidden"' in elevate.text and "Viewer" in elevate.text
    suspend = await ops_post(
        client, f"/ops/tenants/{tenant.slug}/status", {"status": "suspended", "status_reason": "abuse"}
    )
    assert suspend.status_code == 403
    deactivate = await ops_post(
        client, f"/ops/tenants/{tenant.slug}/members/{other.id}/active", {"active": "0"}
    )
    assert deactivate.status_code == 403
    assert (await get_tenant(tenant.slug)).status == "active"  # type: ignore[union-attr]
    assert await _member_active(tenant, other.id)
    assert not {"tenant.elevate", "tenant.suspend"} & set(await _actions(operator.email))


async def test_support_elevates_but_does_not_suspend(client: AsyncClient, app: Litestar, tenant) -> None:
    other = await make_member(tenant, role="sales")
    operator = await make_operator(app.state.settings.secret_key, role="support")
    await ops_sign_in(client, operator)
    page = await client.get(f"/ops/tenants/{tenant.slug}")
    assert 'id="elevate-form"' in page.text and 'id="status-form"' not in page.text

    suspend = await ops_post(
        client, f"/ops/tenants/{tenant.slug}/status", {"status": "suspended", "status_reason": "abuse"}
    )
    assert suspend.status_code == 403 and "Support" in suspend.text
    assert (await get_tenant(tenant.slug)).status == "active"  # type: ignore[union-attr]

    assert (
        await ops_post(client, f"/ops/tenants/{tenant.slug}/elevate", {"reason": "t 8"})
    ).status_code == 303
    changed = await ops_post(client, f"/ops/tenants/{tenant.slug}/members/{other.id}/active", {"active": "0"})
    assert changed.status_code == 303 and not await _member_active(tenant, other.id)

    # Demoted while elevated: the elevation in the session no longer counts, from the next request.
    await set_operator_role(operator.email, "viewer")
    page = await client.get(f"/ops/tenants/{tenant.slug}")
    assert 'id="elevation-not-allowed"' in page.text
    again = await ops_post(client, f"/ops/tenants/{tenant.slug}/members/{other.id}/active", {"active": "1"})
    assert again.status_code == 403 and not await _member_active(tenant, other.id)


async def test_an_admin_suspends_and_resumes(client: AsyncClient, app: Litestar, tenant) -> None:
    operator = await make_operator(app.state.settings.secret_key, role="admin")
    await ops_sign_in(client, operator)
    assert 'id="status-form"' in (await client.get(f"/ops/tenants/{tenant.slug}")).text
    done = await ops_post(
        client, f"/ops/tenants/{tenant.slug}/status", {"status": "suspended", "status_reason": "abuse"}
    )
    assert done.status_code == 303
    assert (await get_tenant(tenant.slug)).status == "suspended"  # type: ignore[union-attr]
    await ops_post(client, f"/ops/tenants/{tenant.slug}/status", {"status": "active", "status_reason": "ok"})
    assert (await get_tenant(tenant.slug)).status == "active"  # type: ignore[union-attr]


async def test_the_refusal_page_is_translated(client: AsyncClient, app: Litestar, tenant) -> None:
    operator = await make_operator(app.state.settings.secret_key, role="viewer")
    client.cookies.set(LOCALE_COOKIE, "de")
    await ops_sign_in(client, operator)
    refused = await ops_post(client, f"/ops/tenants/{tenant.slug}/elevate", {"reason": "ticket"})
    assert refused.status_code == 403
    assert "does not allow this" not in refused.text and "Not allowed" not in refused.text


async def test_unknown_roles_are_refused(database) -> None:
    with pytest.raises(OperatorError) as error:
        await set_operator_role("nobody@example.com", "owner")
    assert "role" in error.value.errors


async def test_only_admins_manage_operators(client: AsyncClient, app: Litestar) -> None:
    secret_key = app.state.settings.secret_key
    admin = await make_operator(secret_key, role="admin")
    target = await make_operator(secret_key, role="viewer")
    await ops_sign_in(client, admin)
    listing = await client.get("/ops/operators")
    assert listing.status_code == 200 and target.email in listing.text
    assert 'href="/ops/operators"' in (await client.get("/ops/")).text

    promoted = await ops_post(client, f"/ops/operators/{target.id}/role", {"role": "support"})
    assert promoted.status_code == 303
    assert (await get_operator(target.id)).role == "support"  # type: ignore[union-attr]
    bogus = await ops_post(client, f"/ops/operators/{target.id}/role", {"role": "root"})
    assert bogus.status_code == 303 and (await get_operator(target.id)).role == "support"  # type: ignore[union-attr]
    own = await ops_post(client, f"/ops/operators/{admin.id}/role", {"role": "viewer"})
    assert own.status_code == 303 and (await get_operator(admin.id)).role == "admin"  # type: ignore[union-attr]
    assert (await ops_post(client, "/ops/operators/999999999/role", {"role": "viewer"})).status_code == 404
    details = [
        row["details"]
        for row in await OperatorAudit.select(OperatorAudit.details)
        .where((OperatorAudit.actor == admin.email) & (OperatorAudit.action == "operator.set_role"))
        .output(load_json=True)
    ]
    assert details == [
        {
            "operator_id": admin.id,
            "target_id": target.id,
            "email": target.email,
            "role": "support",
            "from": "viewer",
        }
    ]

    # The promoted operator is support: no operator management for them.
    client.cookies.clear()
    client.headers.pop("x-csrftoken", None)
    await ops_sign_in(client, target)
    assert 'href="/ops/operators"' not in (await client.get("/ops/")).text
    assert (await client.get("/ops/operators")).status_code == 403
    refused = await ops_post(client, f"/ops/operators/{admin.id}/role", {"role": "viewer"})
    assert refused.status_code == 403 and (await get_operator(admin.id)).role == "admin"  # type: ignore[union-attr]
