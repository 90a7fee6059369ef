"""``/t/<slug>/api/v1/{members,roles,teams}``: the tenant administration JSON API.

Errors are ``{"error": {"code", "message", "details": {"fields": {...}}}}`` with the stable codes of
``web/admin/common.py`` (``validation_failed``, ``not_found``, ``forbidden``, ``privilege_escalation``,
``last_admin``, ``self_deactivation``, ``builtin_role``, ``role_in_use``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from sampark.platform.i18n import gettext as _
from sampark.platform.identity.members import MemberRecord
from sampark.tenants.access import roles, services, teams
from sampark.tenants.access.roles import RoleInput
from sampark.tenants.access.services import AdminError
from sampark.tenants.access.teams import TeamInput
from sampark.web.admin.common import api_error
from sampark.web.deps import CurrentTenant


def _member(member: MemberRecord) -> dict[str, Any]:
    return asdict(member)


def _invalid(field: str, message: str) -> AdminError:
    return AdminError("validation_failed", {field: message})


def _text(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid(key, _("Give text here."))
    return value


def _id_or_none(data: dict[str, Any], key: str, default: int | None, problem: str = "") -> int | None:
    value = data.get(key, default)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise _invalid(key, problem or _("Give a user id or null."))
    return value


def _ids(data: dict[str, Any], key: str, default: list[int]) -> list[int]:
    value = data.get(key, default)
    if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
        raise _invalid(key, _("Give a list of user ids."))
    return value


class MemberApiController(Controller):
    path = "/api/v1/members"
    tags = ["administration"]

    @get("/")
    async def list_members(
        self, tenant: CurrentTenant, page: Annotated[int, QueryParameter(ge=1)] = 1
    ) -> dict[str, Any]:
        """Members of the workspace with their role and status, 25 per page, active ones first."""
        found = await services.member_page(page)
        return {
            "items": [_member(m) for m in found.items],
            "page": found.page,
            "pages": found.pages,
            "total": found.total,
        }

    @get("/{user_id:int}")
    async def get_member(self, tenant: CurrentTenant, user_id: FromPath[int]) -> dict[str, Any]:
        member = await services.get_member(user_id)
        if member is None:
            raise api_error(AdminError("not_found"))
        return _member(member)

    @patch("/{user_id:int}")
    async def update_member(
        self, tenant: CurrentTenant, user_id: FromPath[int], data: JSONBody[dict[str, Any]]
    ) -> dict[str, Any]:
        """Change ``role`` (a role key) and/or ``active`` (false deactivates: their next request gets 404)."""
        try:
            member = None
            if "role" in data:
                member = await services.change_member_role(user_id, _text(data, "role"))
            if "active" in data:
                if not isinstance(data["active"], bool):
                    raise _invalid("active", _("Give true or false."))
                member = await services.set_member_active(user_id, data["active"])
            if member is None:
                raise _invalid("role", _("Give a role or an active flag to change."))
        except AdminError as error:
            raise api_error(error) from None
        return _member(member)


def _role(role: roles.RoleView) -> dict[str, Any]:
    return asdict(role)


def _role_input(data: dict[str, Any], current: roles.RoleView | None = None) -> RoleInput:
    permissions = data.get("permissions", current.permissions if current else {})
    hidden = data.get("hidden_fields", current.hidden_fields if current else {})
    if not isinstance(hidden, dict):
        raise _invalid("hidden_fields", _("Give hidden fields as object, then a list of field names."))
    return RoleInput(
        name=_text(data, "name", current.name if current else ""),
        permissions=permissions,
        hidden_fields=hidden,
    )


class RoleApiController(Controller):
    path = "/api/v1/roles"
    tags = ["administration"]

    @get("/")
    async def list_roles(self, tenant: CurrentTenant) -> dict[str, Any]:
        """Built-in and custom roles with their permission matrix and how many members hold each."""
        return {"items": [_role(role) for role in await roles.list_roles()]}

    @post("/")
    async def create_role(self, tenant: CurrentTenant, data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
        """Create a custom role from ``name``, ``permissions`` and ``hidden_fields``; its key is made from the name."""
        try:
            return _role(await roles.create_role(_role_input(data)))
        except AdminError as error:
            raise api_error(error) from None

    @get("/{key:str}")
    async def get_role(self, tenant: CurrentTenant, key: FromPath[str]) -> dict[str, Any]:
        role = await roles.get_role(key)
        if role is None:
            raise api_error(AdminError("not_found"))
        return _role(role)

    @patch("/{key:str}")
    async def update_role(
        self, tenant: CurrentTenant, key: FromPath[str], data: JSONBody[dict[str, Any]]
    ) -> dict[str, Any]:
        """Change a custom role; fields left out keep their value (``permissions`` is replaced whole)."""
        try:
            current = await roles.get_role(key)
            if current is None:
                raise AdminError("not_found")
            return _role(await roles.update_role(key, _role_input(data, current)))
        except AdminError as error:
            raise api_error(error) from None

    @delete("/{key:str}")
    async def delete_role(self, tenant: CurrentTenant, key: FromPath[str]) -> None:
        """Delete a custom role nobody holds (409 ``role_in_use`` otherwise)."""
        try:
            await roles.delete_role(key)
        except AdminError as error:
            raise api_error(error) from None


def _team_input(data: dict[str, Any], current: teams.TeamView | None = None) -> TeamInput:
    return TeamInput(
        name=_text(data, "name", current.name if current else ""),
        manager_user_id=_id_or_none(data, "manager_user_id", current.manager_user_id if current else None),
        member_ids=_ids(data, "member_ids", current.member_ids if current else []),
        default_locale=_text(data, "default_locale", current.default_locale if current else ""),
        default_time_zone=_text(data, "default_time_zone", current.default_time_zone if current else ""),
        default_currency=_text(data, "default_currency", current.default_currency if current else ""),
        default_pipeline_id=_id_or_none(
            data,
            "default_pipeline_id",
            current.default_pipeline_id if current else None,
            _("Give a pipeline id or null."),
        ),
    )


class TeamApiController(Controller):
    path = "/api/v1/teams"
    tags = ["administration"]

    @get("/")
    async def list_teams(self, tenant: CurrentTenant) -> dict[str, Any]:
        return {"items": [asdict(team) for team in await teams.list_teams()]}

    @post("/")
    async def create_team(self, tenant: CurrentTenant, data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
        """Create a team: ``name``, ``manager_user_id``, ``member_ids``, ``default_locale``,
        ``default_time_zone``, ``default_currency``, ``default_pipeline_id``."""
        try:
            return asdict(await teams.create_team(_team_input(data)))
        except AdminError as error:
            raise api_error(error) from None

    @get("/{team_id:int}")
    async def get_team(self, tenant: CurrentTenant, team_id: FromPath[int]) -> dict[str, Any]:
        team = await teams.get_team(team_id)
        if team is None:
            raise api_error(AdminError("not_found"))
        return asdict(team)

    @patch("/{team_id:int}")
    async def update_team(
        self, tenant: CurrentTenant, team_id: FromPath[int], data: JSONBody[dict[str, Any]]
    ) -> dict[str, Any]:
        """Change a team; fields left out keep their value (``member_ids`` is replaced whole)."""
        try:
            current = await teams.get_team(team_id)
            if current is None:
                raise AdminError("not_found")
            return asdict(await teams.update_team(team_id, _team_input(data, current)))
        except AdminError as error:
            raise api_error(error) from None

    @delete("/{team_id:int}")
    async def delete_team(self, tenant: CurrentTenant, team_id: FromPath[int]) -> None:
        try:
            await teams.delete_team(team_id)
        except AdminError as error:
            raise api_error(error) from None
