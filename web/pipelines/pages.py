"""``/t/<slug>/admin/pipelines``: create and rename pipelines; add, change, reorder and delete stages (a stage
with deals asks where to move them first). Needs the ``settings`` permission; every change is audited."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.tenant_text import from_form
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.deals.services import lost_per_stage
from sampark.tenants.pipelines import services as pipelines
from sampark.tenants.pipelines.schemas import KINDS, PipelineError, PipelineNotFound, StageInUse, kind_label
from sampark.tenants.records.errors import VersionConflict
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render


def _version(form: Any) -> int:
    text = str(form.get("version") or "")
    return int(text) if text.isdigit() else -1


class PipelinePagesController(Controller):
    path = "/admin/pipelines"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        require("settings", "view", record=False)
        return await self._index(request)

    async def _index(
        self, request: Request[Any, Any, Any], errors: dict[str, str] | None = None
    ) -> Response[str]:
        return render(
            request,
            "pipelines/index.html",
            {
                "principal": current_principal(),
                "pipelines": await pipelines.list_pipelines(),
                "errors": errors or {},
            },
            status_code=400 if errors else 200,
        )

    @post("/")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        form = await request.form()
        try:
            pipeline = await pipelines.create_pipeline(str(form.get("name") or ""), from_form(form))
        except PipelineError as problem:
            return await self._index(request, problem.errors)
        flash(request, _("Pipeline %(name)s was created.", name=pipeline.label), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/pipelines/{pipeline.id}", status_code=303)

    async def _page(
        self,
        request: Request[Any, Any, Any],
        pipeline_id: int,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Response[str]:
        pipeline = await pipelines.require_pipeline(pipeline_id)
        context = {
            "principal": current_principal(),
            "pipeline": pipeline,
            "errors": errors or {},
            "kinds": [(kind, kind_label(kind)) for kind in KINDS],
            "lost": await lost_per_stage(pipeline.id),
        }
        return render(request, "pipelines/detail.html", context, status_code=status)

    @get("/{pipeline_id:int}")
    async def detail(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, pipeline_id: FromPath[int]
    ) -> Response[str]:
        require("settings", "view", record=False)
        return await self._page(request, pipeline_id)

    @post("/{pipeline_id:int}")
    async def change(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, pipeline_id: FromPath[int]
    ) -> Response[Any]:
        """One form per action: rename, add a stage, change a stage, move a stage up or down."""
        form = await request.form()
        action, version = str(form.get("_action") or ""), _version(form)
        stage_text = str(form.get("stage_id") or "")
        stage_id = int(stage_text) if stage_text.isdigit() else 0
        fields: dict[str, Any] = {
            name: form.get(name) for name in ("name", "probability", "kind") if form.get(name) is not None
        }
        names = from_form(form)
        if names is not None:
            fields["names"] = names
        try:
            if action == "rename":
                await pipelines.rename_pipeline(
                    pipeline_id, str(form.get("name") or ""), names=names, expected_version=version
                )
            elif action == "add_stage":
                await pipelines.add_stage(pipeline_id, fields, expected_version=version)
            elif action == "update_stage":
                await pipelines.update_stage(stage_id, fields, expected_version=version)
            elif action in ("up", "down"):
                await pipelines.move_stage_position(
                    stage_id, -1 if action == "up" else 1, expected_version=version
                )
            else:
                raise PipelineNotFound(pipeline_id)
        except VersionConflict:
            message = _("Someone else changed this pipeline meanwhile. Nothing was saved; try again.")
            return await self._page(request, pipeline_id, {"pipeline": message}, 409)
        except PipelineError as problem:
            errors = {
                f"{action}-{stage_id}-{key}" if stage_id else f"{action}-{key}": msg
                for key, msg in problem.errors.items()
            }
            return await self._page(request, pipeline_id, errors, 400)
        flash(request, _("The pipeline was saved."), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/pipelines/{pipeline_id}", status_code=303)

    @get("/stages/{stage_id:int}/delete")
    async def confirm_delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, stage_id: FromPath[int]
    ) -> Response[str]:
        require("settings", "edit", record=False)
        pipeline = await pipelines.pipeline_of_stage(stage_id)
        if pipeline is None or (stage := pipeline.stage(stage_id)) is None:
            raise PipelineNotFound(stage_id)
        count = await pipelines.deals_in_stage(stage_id)
        return render(
            request,
            "pipelines/delete_stage.html",
            {"pipeline": pipeline, "stage": stage, "count": count, "errors": {}},
        )

    @post("/stages/{stage_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, stage_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        move_text = str(form.get("move_to") or "")
        pipeline = await pipelines.pipeline_of_stage(stage_id)
        if pipeline is None or (stage := pipeline.stage(stage_id)) is None:
            raise PipelineNotFound(stage_id)
        try:
            await pipelines.delete_stage(
                stage_id,
                move_to=int(move_text) if move_text.isdigit() else None,
                expected_version=_version(form),
            )
        except (StageInUse, PipelineError, VersionConflict) as problem:
            errors = getattr(problem, "errors", None) or {"move_to": _("Choose the stage its deals move to.")}
            if isinstance(problem, VersionConflict):
                errors = {
                    "move_to": _(
                        "Someone else changed this pipeline meanwhile. Nothing was saved; try again."
                    )
                }
            context = {
                "pipeline": await pipelines.require_pipeline(pipeline.id),
                "stage": stage,
                "count": await pipelines.deals_in_stage(stage_id),
                "errors": errors,
            }
            return render(
                request,
                "pipelines/delete_stage.html",
                context,
                status_code=409 if isinstance(problem, VersionConflict) else 400,
            )
        flash(request, _("Stage %(name)s was deleted.", name=stage.label), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/pipelines/{pipeline.id}", status_code=303)
