"""``/t/<slug>/admin/teams``: teams with a manager, members, and their default language, time zone, currency and
pipeline."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from sampark.platform.i18n import gettext as _
from sampark.tenants.access import teams
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.access.services import AdminError
from sampark.tenants.access.teams import TeamInput
from sampark.tenants.pipelines.queries import list_pipelines
from sampark.web.admin.common import back_to, form_fields, optional_int
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render


def team_input(data: dict[str, str], form: Any) -> TeamInput:
    member_ids = [
        value for value in (optional_int(v) for v in form.getall("member_ids", [])) if value is not None
    ]
    return TeamInput(
        name=data.get("name", ""),
        manager_user_id=optional_int(data.get("manager_user_id")),
        member_ids=member_ids,
        default_locale=data.get("default_locale", ""),
        default_time_zone=data.get("default_time_zone", ""),
        default_currency=data.get("default_currency", ""),
        default_pipeline_id=_pipeline_id(data.get("default_pipeline_id", "")),
    )


def _pipeline_id(posted: str) -> int | None:
    """The chosen pipeline; a value that is no id stays invalid (-1) so validation names it, not ignores it."""
    value = optional_int(posted)
    return -1 if value is None and posted.strip() else value


async def _form_page(
    request: Request[Any, Any, Any],
    *,
    form: TeamInput,
    team: teams.TeamView | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    principal = current_principal()
    people = await teams.member_choices()
    return render(
        request,
        "admin/team_form.html",
        {
            "principal": principal,
            "team": team,
            "form": form,
            "editable": principal.can("teams", "edit" if team else "create"),
            "people": people,
            "manager_choices": [(m.user_id, m.display_name) for m in people],
            "time_zones": [(zone, zone) for zone in teams.time_zones()],
            "pipeline_choices": [(pipeline.id, pipeline.label) for pipeline in await list_pipelines()],
            "errors": errors or {},
        },
        status_code=status_code,
    )


class TeamPagesController(Controller):
    path = "/admin/teams"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        listed = await teams.list_teams()
        names = {m.user_id: m.display_name for m in await teams.member_choices()}
        pipelines = {pipeline.id: pipeline.label for pipeline in await list_pipelines()}
        context = {"principal": current_principal(), "teams": listed, "names": names, "pipelines": pipelines}
        return render(request, "admin/teams.html", context)

    @get("/new")
    async def new(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        require("teams", "create", record=False)
        return await _form_page(request, form=TeamInput(name=""), team=None)

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        data, raw = await form_fields(request)
        form = team_input(data, raw)
        try:
            team = await teams.create_team(form)
        except AdminError as error:
            return await _form_page(request, form=form, team=None, errors=error.errors, status_code=400)
        flash(request, _("Team %(name)s created.", name=team.name), "success")
        return back_to(tenant, "teams")

    @get("/{team_id:int}")
    async def detail(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, team_id: FromPath[int]
    ) -> Response[str]:
        team = await teams.get_team(team_id)
        if team is None:
            raise NotFoundException()
        form = TeamInput(
            name=team.name,
            manager_user_id=team.manager_user_id,
            member_ids=team.member_ids,
            default_locale=team.default_locale,
            default_time_zone=team.default_time_zone,
            default_currency=team.default_currency,
            default_pipeline_id=team.default_pipeline_id,
        )
        return await _form_page(request, form=form, team=team)

    @post("/{team_id:int}")
    async def update(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, team_id: FromPath[int]
    ) -> Response[Any]:
        data, raw = await form_fields(request)
        form = team_input(data, raw)
        try:
            team = await teams.update_team(team_id, form)
        except AdminError as error:
            current = await teams.get_team(team_id)
            if error.code == "not_found" or current is None:
                raise NotFoundException() from None
            return await _form_page(request, form=form, team=current, errors=error.errors, status_code=400)
        flash(request, _("Team %(name)s saved.", name=team.name), "success")
        return back_to(tenant, "teams")

    @post("/{team_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, team_id: FromPath[int]
    ) -> Response[Any]:
        try:
            await teams.delete_team(team_id)
        except AdminError:
            raise NotFoundException() from None  # delete_team refuses nothing but an unknown team
        flash(request, _("Team deleted."), "success")
        return back_to(tenant, "teams")
