"""Teams: a name, a manager, members, and the defaults (language, time zone, currency, pipeline) for their work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from sampark.platform.i18n import gettext as _
from sampark.platform.identity import members
from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.policy import require
from sampark.tenants.access.services import AdminError
from sampark.tenants.access.tables import Team, TeamMember
from sampark.tenants.audit.services import record_change
from sampark.tenants.pipelines.tables import Pipeline

NAME_LENGTH = 100


# --- Teams ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamView:
    id: int
    name: str
    manager_user_id: int | None
    default_locale: str
    default_time_zone: str
    default_currency: str
    default_pipeline_id: int | None
    member_ids: list[int]


@dataclass
class TeamInput:
    name: str
    manager_user_id: int | None = None
    member_ids: list[int] = field(default_factory=list)
    default_locale: str = ""
    default_time_zone: str = ""
    default_currency: str = ""
    default_pipeline_id: int | None = None


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(zone for zone in available_timezones() if "/" in zone or zone == "UTC"))


def _locale_ok(tag: str) -> bool:
    try:
        Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def validate_team(
    data: TeamInput, active_ids: set[int], pipeline_ids: set[int]
) -> tuple[TeamInput, dict[str, str]]:
    errors: dict[str, str] = {}
    clean = TeamInput(
        name=data.name.strip(),
        manager_user_id=data.manager_user_id,
        member_ids=sorted(set(data.member_ids)),
        default_locale=data.default_locale.strip(),
        default_time_zone=data.default_time_zone.strip(),
        default_currency=data.default_currency.strip().upper(),
        default_pipeline_id=data.default_pipeline_id,
    )
    if not clean.name:
        errors["name"] = _("Enter a name for the team.")
    elif len(clean.name) > NAME_LENGTH:
        errors["name"] = _("Use at most %(count)s characters.", count=NAME_LENGTH)
    if clean.manager_user_id is not None and clean.manager_user_id not in active_ids:
        errors["manager_user_id"] = _("Choose an active member as the manager.")
    if any(user_id not in active_ids for user_id in clean.member_ids):
        errors["member_ids"] = _("Choose team members among the active members.")
    if clean.default_locale and (len(clean.default_locale) > 16 or not _locale_ok(clean.default_locale)):
        errors["default_locale"] = _("Enter a language code such as en, hi or pt-BR.")
    if clean.default_time_zone and clean.default_time_zone not in time_zones():
        errors["default_time_zone"] = _("Choose a time zone from the list.")
    if clean.default_currency and clean.default_currency not in list_currencies():
        errors["default_currency"] = _("Enter a three-letter currency code such as INR, EUR or USD.")
    if clean.default_pipeline_id is not None and clean.default_pipeline_id not in pipeline_ids:
        errors["default_pipeline_id"] = _("Choose a pipeline from the list.")
    return clean, errors


async def _team_members(team_ids: list[int]) -> dict[int, list[int]]:
    rows = await TeamMember.select(TeamMember.team.as_alias("team_id"), TeamMember.user_id).where(
        TeamMember.team.is_in(team_ids or [0])
    )
    found: dict[int, list[int]] = {}
    for row in rows:
        found.setdefault(row["team_id"], []).append(row["user_id"])
    return {team_id: sorted(ids) for team_id, ids in found.items()}


def _team_view(row: dict[str, Any], member_ids: list[int]) -> TeamView:
    return TeamView(
        **{k: row[k] for k in TeamView.__dataclass_fields__ if k != "member_ids"}, member_ids=member_ids
    )


_TEAM_COLUMNS = (
    Team.id,
    Team.name,
    Team.manager_user_id,
    Team.default_locale,
    Team.default_time_zone,
    Team.default_currency,
    Team.default_pipeline.as_alias("default_pipeline_id"),
)


async def member_choices() -> list[members.MemberRecord]:
    """Active members, for the manager and member pickers of the team form."""
    require("teams", "view", record=False)
    return await members.active_members(current_tenant().id)


async def list_teams() -> list[TeamView]:
    require("teams", "view", record=False)
    rows = await Team.select(*_TEAM_COLUMNS).order_by(Team.name)
    ids = await _team_members([row["id"] for row in rows])
    return [_team_view(row, ids.get(row["id"], [])) for row in rows]


async def get_team(team_id: int) -> TeamView | None:
    require("teams", "view", record=False)
    row = await Team.select(*_TEAM_COLUMNS).where(Team.id == team_id).first()
    return _team_view(row, (await _team_members([team_id])).get(team_id, [])) if row else None


async def _valid_team(data: TeamInput, except_id: int | None = None) -> TeamInput:
    active_ids = {m.user_id for m in await members.active_members(current_tenant().id)}
    wanted = data.default_pipeline_id
    pipeline_ids = (
        {row["id"] for row in await Pipeline.select(Pipeline.id).where(Pipeline.id == wanted)}
        if wanted is not None and 0 < wanted < 2**63  # beyond bigint it cannot exist (nor be queried)
        else set()
    )
    clean, errors = validate_team(data, active_ids, pipeline_ids)
    if "name" not in errors:
        rows = await Team.select(Team.id, Team.name)
        if any(r["name"].casefold() == clean.name.casefold() and r["id"] != except_id for r in rows):
            errors["name"] = _("Another team already has this name.")
    if errors:
        raise AdminError("validation_failed", errors)
    return clean


def _audit_team(data: TeamInput | TeamView) -> dict[str, Any]:
    return {
        "name": data.name,
        "manager_user_id": data.manager_user_id,
        "default_locale": data.default_locale,
        "default_time_zone": data.default_time_zone,
        "default_currency": data.default_currency,
        "default_pipeline_id": data.default_pipeline_id,
        "member_ids": ",".join(str(i) for i in sorted(data.member_ids)),
    }


async def _set_members(team_id: int, wanted: list[int], current: list[int]) -> None:
    removed = sorted(set(current) - set(wanted))
    if removed:
        await TeamMember.delete().where((TeamMember.team == team_id) & TeamMember.user_id.is_in(removed))
    added = sorted(set(wanted) - set(current))
    if added:
        await TeamMember.insert(*[TeamMember(team=team_id, user_id=user_id) for user_id in added])


def _team_values(clean: TeamInput) -> dict[Any, Any]:
    return {
        Team.name: clean.name,
        Team.manager_user_id: clean.manager_user_id,
        Team.default_locale: clean.default_locale,
        Team.default_time_zone: clean.default_time_zone,
        Team.default_currency: clean.default_currency,
        Team.default_pipeline: clean.default_pipeline_id,
    }


async def create_team(data: TeamInput) -> TeamView:
    principal = require("teams", "create", record=False)
    clean = await _valid_team(data)
    values = {column._meta.name: value for column, value in _team_values(clean).items()}
    team_id = (await Team.insert(Team(**values, created_at=datetime.now(UTC))).returning(Team.id))[0]["id"]
    await _set_members(team_id, clean.member_ids, [])
    await record_change("create", "team", team_id, actor_user_id=principal.user_id, after=_audit_team(clean))
    team = await get_team(team_id)
    assert team is not None
    return team


async def update_team(team_id: int, data: TeamInput) -> TeamView:
    principal = require("teams", "edit", record=False)
    before = await get_team(team_id)
    if before is None:
        raise AdminError("not_found")
    clean = await _valid_team(data, except_id=team_id)
    await Team.update(_team_values(clean)).where(Team.id == team_id)
    await _set_members(team_id, clean.member_ids, before.member_ids)
    await record_change(
        "update",
        "team",
        team_id,
        actor_user_id=principal.user_id,
        before=_audit_team(before),
        after=_audit_team(clean),
    )
    team = await get_team(team_id)
    assert team is not None
    return team


async def delete_team(team_id: int) -> None:
    principal = require("teams", "delete", record=False)
    before = await get_team(team_id)
    if before is None:
        raise AdminError("not_found")
    await Team.delete().where(Team.id == team_id)  # team_members go with it (ON DELETE CASCADE)
    await record_change(
        "delete", "team", team_id, actor_user_id=principal.user_id, before=_audit_team(before)
    )
