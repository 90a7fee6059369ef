"""Who may do what on the admin objects, through the pages and the API: role by action.

Admin may do everything; Sales and Read-only get 403 everywhere (API code ``forbidden``) and change nothing;
a custom "auditor" role with only ``view`` on users, roles and teams may look but not touch.
"""

from __future__ import annotations

from typing import Any

import pytest

from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.access.tables import Role, Team
from tests.support.web import csrf_token, make_member, sign_in

VIEW_ONLY = {"users": {"view": "all"}, "roles": {"view": "all"}, "teams": {"view": "all"}}


async def _setup(tenant) -> dict[str, Any]:
    async with tenant_context(slug=tenant.slug):
        await Role.insert(
            Role(key="auditor", name="Auditor", permissions=VIEW_ONLY),
            Role(key="temp", name="Temp", permissions={"contacts": {"view": "own"}}),
        )
        team_id = (await Team.insert(Team(name="North")).returning(Team.id))[0]["id"]
    target = await make_member(tenant, "sales")
    return {"team": team_id, "target": target.id}


def _actions(slug: str, ids: dict[str, Any]) -> list[tuple[str, str, str, Any, int]]:
    """(kind, method, url, payload, status when allowed); ``kind`` is view or change."""
    t, api = f"/t/{slug}", f"/t/{slug}/api/v1"
    return [
        ("view", "GET", f"{t}/admin/users/", None, 200),
        ("view", "GET", f"{t}/admin/roles/", None, 200),
        ("view", "GET", f"{t}/admin/roles/temp", None, 200),
        ("view", "GET", f"{t}/admin/teams/", None, 200),
        ("view", "GET", f"{t}/admin/teams/{ids['team']}", None, 200),
        ("view", "GET", f"{api}/members/", None, 200),
        ("view", "GET", f"{api}/roles/", None, 200),
        ("view", "GET", f"{api}/teams/", None, 200),
        ("change", "GET", f"{t}/admin/roles/new", None, 200),
        ("change", "GET", f"{t}/admin/teams/new", None, 200),
        ("change", "GET", f"{t}/admin/users/{ids['target']}/transfer", None, 200),
        (
            "change",
            "FORM",
            f"{t}/admin/users/invite",
            {"email": "new-person@example.com", "role": "sales"},
            303,
        ),
        ("change", "FORM", f"{t}/admin/users/{ids['target']}/role", {"role": "read-only"}, 303),
        ("change", "FORM", f"{t}/admin/roles/new", {"name": "Via form"}, 303),
        ("change", "FORM", f"{t}/admin/teams/new", {"name": "Via form"}, 303),
        ("change", "POST", f"{api}/roles/", {"name": "Via API"}, 201),
        ("change", "PATCH", f"{api}/roles/temp", {"name": "Renamed"}, 200),
        ("change", "POST", f"{api}/teams/", {"name": "South"}, 201),
        ("change", "PATCH", f"{api}/teams/{ids['team']}", {"default_currency": "EUR"}, 200),
        ("change", "PATCH", f"{api}/members/{ids['target']}", {"role": "sales"}, 200),
        ("change", "FORM", f"{t}/admin/users/{ids['target']}/deactivate", {}, 303),
        ("change", "DELETE", f"{api}/roles/temp", None, 204),
        ("change", "DELETE", f"{api}/teams/{ids['team']}", None, 204),
    ]


async def _call(client, tenant, method: str, url: str, payload: Any) -> Any:
    token = csrf_token(await client.get(f"/t/{tenant.slug}/"))
    if method == "GET":
        return await client.get(url)
    if method == "FORM":
        return await client.post(url, data={**payload, "_csrf_token": token})
    return await client.request(method, url, json=payload, headers={"x-csrftoken": token})


async def _state(tenant) -> tuple[list[str], list[tuple[str, str]]]:
    async with tenant_context(slug=tenant.slug):
        roles = sorted(await Role.select(Role.name).output(as_list=True))
        teams = sorted(
            (r["name"], r["default_currency"]) for r in await Team.select(Team.name, Team.default_currency)
        )
    return roles, teams


@pytest.mark.parametrize("role", ["admin", "sales", "read-only", "auditor"])
async def test_admin_objects_permission_matrix(client, tenant, role: str) -> None:
    ids = await _setup(tenant)
    member = await make_member(tenant, role)
    await sign_in(client, member)
    before = await _state(tenant)
    for kind, method, url, payload, allowed_status in _actions(tenant.slug, ids):
        response = await _call(client, tenant, method, url, payload)
        allowed = role == "admin" or (role == "auditor" and kind == "view")
        if allowed:
            assert response.status_code == allowed_status, (role, method, url, response.text[:300])
        else:
            assert response.status_code == 403, (role, method, url, response.status_code)
            if "/api/" in url:
                assert response.json()["error"]["code"] == "forbidden"
    if role != "admin":
        assert await _state(tenant) == before  # nothing a refused request sent was applied


async def test_admin_link_shows_only_for_who_can_view_users(client, tenant) -> None:
    await _setup(tenant)
    await sign_in(client, await make_member(tenant, "sales"))
    assert "/admin/users/" not in (await client.get(f"/t/{tenant.slug}/")).text
    await sign_in(client, await make_member(tenant, "auditor"))
    assert f'href="/t/{tenant.slug}/admin/users/"' in (await client.get(f"/t/{tenant.slug}/")).text
