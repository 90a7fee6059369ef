"""Pipeline rules: admins (``settings`` permission) create and rename pipelines and add, change, reorder and
delete stages. Every change is audited and bumps the pipeline's version, which each write may check.

A stage is deleted only when no deal is in it, or after its deals are moved to another stage of the same
pipeline: each moved deal gets a stage-history row, a new version and an audit entry, in the same statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sampark.platform.db.sql import fetch, fetchval
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.tenant_text import Translations, clean_translations, dump, follow_rename
from sampark.tenants.access.policy import Principal, require
from sampark.tenants.audit.services import record_change
from sampark.tenants.pipelines.queries import (
    default_pipeline,
    get_pipeline,
    list_pipelines,
    pipeline_of_stage,
    require_pipeline,
)
from sampark.tenants.pipelines.schemas import (
    KINDS,
    PipelineError,
    PipelineNotFound,
    PipelineView,
    StageInUse,
    StageView,
)
from sampark.tenants.pipelines.seed import DEFAULT_STAGES, seeded_names
from sampark.tenants.pipelines.tables import Pipeline
from sampark.tenants.records.errors import VersionConflict

__all__ = [
    "PipelineError",
    "PipelineNotFound",
    "StageInUse",
    "add_stage",
    "create_pipeline",
    "deals_in_stage",
    "default_pipeline",
    "delete_stage",
    "get_pipeline",
    "list_pipelines",
    "move_stage_position",
    "pipeline_of_stage",
    "rename_pipeline",
    "require_pipeline",
    "update_stage",
]  # fmt: skip

OBJECT = "settings"
MAX_STAGES = 30
_BUMP = "UPDATE pipelines SET version = version + 1, updated_at = now() WHERE id = $1"
# Move every deal of one stage to another: new version, status from the target's kind, a history row and an
# audit entry each. ``$1`` from, ``$2`` to, ``$3`` the actor, ``$4`` the target's kind.
_MOVE_ALL = """
WITH moved AS (
    UPDATE deals SET stage_id = $2, version = version + 1, updated_at = now(),
        status = $4,
        closed_at = CASE WHEN $4 = 'open' THEN NULL WHEN status = $4 THEN closed_at ELSE now() END,
        lost_reason = CASE WHEN $4 = 'lost' THEN lost_reason ELSE '' END,
        lost_note = CASE WHEN $4 = 'lost' THEN lost_note ELSE '' END
    WHERE stage_id = $1 RETURNING id, status
), history AS (
    INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, moved_by) SELECT id, $1, $2, $3 FROM moved
)
INSERT INTO audit_log (actor_user_id, action, object_type, object_id, changes)
SELECT $3, 'update', 'deal', id, jsonb_build_object('stage_id', jsonb_build_object('before', $1::bigint, 'after', $2::bigint))
FROM moved
"""


def _name(value: Any, errors: dict[str, str], key: str = "name") -> str:
    name = " ".join(str(value or "").split())
    if not name:
        errors[key] = _("Enter a name.")
    elif len(name) > 100:
        errors[key] = _("Use at most %(count)d characters.", count=100)
    return name


def _names(value: Any, errors: dict[str, str]) -> Translations | None:
    """Submitted translations (None: not part of this change)."""
    if value is None:
        return None
    clean, problems = clean_translations(value, max_length=100)
    errors.update(problems)
    return clean


def _renamed(
    old_name: str, new_name: str, stored: Translations, submitted: Translations | None
) -> Translations:
    """The translations after an edit: those not edited along with a rename go (they named the old text)."""
    return follow_rename(old_name, new_name, stored, submitted)


def _stage_fields(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    if "name" in data:
        clean["name"] = _name(data["name"], errors)
    names = _names(data.get("names"), errors)
    if names is not None:
        clean["names"] = names
    if "probability" in data:
        raw = str(data["probability"]).strip()
        if not raw.isdigit() or not 0 <= int(raw) <= 100:
            errors["probability"] = _("Enter a whole number from 0 to 100.")
        else:
            clean["probability"] = int(raw)
    if "kind" in data:
        if data["kind"] not in KINDS:
            errors["kind"] = _("Choose one from the list.")
        else:
            clean["kind"] = data["kind"]
    return clean, errors


async def _locked(pipeline_id: int, expected_version: int | None) -> tuple[Principal, PipelineView]:
    principal = require(OBJECT, "edit", record=False)
    pipeline = await require_pipeline(pipeline_id, lock=True)
    if expected_version is not None and expected_version != pipeline.version:
        raise VersionConflict(pipeline)
    return principal, pipeline


async def _stage_locked(
    stage_id: int, expected_version: int | None
) -> tuple[Principal, PipelineView, StageView]:
    owner = await pipeline_of_stage(stage_id)
    if owner is None:
        raise PipelineNotFound(stage_id)
    principal, pipeline = await _locked(owner.id, expected_version)
    stage = pipeline.stage(stage_id)
    if stage is None:
        raise PipelineNotFound(stage_id)
    return principal, pipeline, stage


def _stage_snapshot(stage: StageView) -> dict[str, Any]:
    return {
        "name": stage.name,
        # JSON text: the audit log keeps scalar values (a dict would be stored as its repr).
        "names": dump(stage.names),
        "probability": stage.probability,
        "kind": stage.kind,
        "position": stage.position,
    }


async def _done(pipeline_id: int) -> PipelineView:
    await fetch(Pipeline, _BUMP, pipeline_id)
    return await require_pipeline(pipeline_id)


async def create_pipeline(name: str, names: Mapping[str, Any] | None = None) -> PipelineView:
    """A new pipeline with the default stages, their names translated into every shipped locale (renamed and
    reordered afterwards as the team works). ``names``: the pipeline name's translations, by locale."""
    principal = require(OBJECT, "create", record=False)
    errors: dict[str, str] = {}
    clean = _name(name, errors)
    translations = _names(names, errors) or {}
    if errors:
        raise PipelineError(errors)
    pipeline_id = await fetchval(
        Pipeline,
        "INSERT INTO pipelines (name, names, position, is_default)"
        " SELECT $1, $2::jsonb, coalesce(max(position) + 1, 0), NOT EXISTS (SELECT 1 FROM pipelines)"
        " FROM pipelines RETURNING id",
        clean, dump(translations),
    )  # fmt: skip
    for position, (stage, probability, kind) in enumerate(DEFAULT_STAGES):
        await fetch(
            Pipeline,
            "INSERT INTO pipeline_stages (pipeline_id, name, names, position, probability, kind)"
            " VALUES ($1, $2, $3::jsonb, $4, $5, $6)",
            pipeline_id, stage, dump(seeded_names(stage)), position, probability, kind,
        )  # fmt: skip
    after: dict[str, Any] = {"name": clean, **({"names": dump(translations)} if translations else {})}
    await record_change("create", "pipeline", pipeline_id, actor_user_id=principal.user_id, after=after)
    return await require_pipeline(pipeline_id)


async def rename_pipeline(
    pipeline_id: int,
    name: str,
    *,
    names: Mapping[str, Any] | None = None,
    expected_version: int | None,
) -> PipelineView:
    """Change the pipeline's name and/or its translations (``names`` None: not part of this change)."""
    principal, pipeline = await _locked(pipeline_id, expected_version)
    errors: dict[str, str] = {}
    clean = _name(name, errors)
    submitted = _names(names, errors)
    if errors:
        raise PipelineError(errors)
    translations = _renamed(pipeline.name, clean, pipeline.names, submitted)
    if clean == pipeline.name and translations == pipeline.names:
        return pipeline
    await fetch(
        Pipeline, "UPDATE pipelines SET name = $2, names = $3::jsonb WHERE id = $1",
        pipeline_id, clean, dump(translations),
    )  # fmt: skip
    await record_change(
        "update", "pipeline", pipeline_id, actor_user_id=principal.user_id,
        before={"name": pipeline.name, "names": dump(pipeline.names)},
        after={"name": clean, "names": dump(translations)},
    )  # fmt: skip
    return await _done(pipeline_id)


async def add_stage(
    pipeline_id: int, data: Mapping[str, Any], *, expected_version: int | None
) -> PipelineView:
    """Append a stage (name, probability 0-100, kind open/won/lost) at the end of the pipeline."""
    principal, pipeline = await _locked(pipeline_id, expected_version)
    clean, errors = _stage_fields({"name": "", "probability": "0", "kind": "open", "names": {}, **data})
    if len(pipeline.stages) >= MAX_STAGES:
        errors["name"] = _("A pipeline has at most %(count)d stages.", count=MAX_STAGES)
    if errors:
        raise PipelineError(errors)
    position = max((stage.position for stage in pipeline.stages), default=-1) + 1
    stage_id = await fetchval(
        Pipeline,
        "INSERT INTO pipeline_stages (pipeline_id, name, names, position, probability, kind)"
        " VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING id",
        pipeline_id, clean["name"], dump(clean["names"]), position, clean["probability"], clean["kind"],
    )  # fmt: skip
    await record_change(
        "create", "pipeline_stage", stage_id, actor_user_id=principal.user_id,
        after={"pipeline_id": pipeline_id, **clean, "names": dump(clean["names"]), "position": position},
    )  # fmt: skip
    return await _done(pipeline_id)


async def update_stage(
    stage_id: int, data: Mapping[str, Any], *, expected_version: int | None
) -> PipelineView:
    """Rename a stage or change its probability or kind (deals already in it keep their status)."""
    principal, pipeline, stage = await _stage_locked(stage_id, expected_version)
    clean, errors = _stage_fields(data)
    if errors:
        raise PipelineError(errors)
    clean["names"] = _renamed(stage.name, clean.get("name", stage.name), stage.names, clean.get("names"))
    changed = {name: value for name, value in clean.items() if getattr(stage, name) != value}
    if not changed:
        return pipeline
    # Column names come from _stage_fields' fixed keys, never from input.
    sets = ", ".join(
        f"{name} = ${index}::jsonb" if name == "names" else f"{name} = ${index}"
        for index, name in enumerate(changed, start=2)
    )
    values = [dump(value) if name == "names" else value for name, value in changed.items()]
    await fetch(Pipeline, f"UPDATE pipeline_stages SET {sets} WHERE id = $1", stage_id, *values)
    after = {**_stage_snapshot(stage), **changed, "names": dump(clean["names"])}
    await record_change(
        "update", "pipeline_stage", stage_id, actor_user_id=principal.user_id,
        before=_stage_snapshot(stage), after=after,
    )  # fmt: skip
    return await _done(pipeline.id)


async def move_stage_position(stage_id: int, offset: int, *, expected_version: int | None) -> PipelineView:
    """Move a stage one place earlier (``offset`` -1) or later (+1); positions are renumbered 0..n-1."""
    principal, pipeline, _stage = await _stage_locked(stage_id, expected_version)
    order = [item.id for item in pipeline.stages]
    index = order.index(stage_id)
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(order):
        return pipeline
    order[index], order[target] = order[target], order[index]
    await fetch(
        Pipeline,
        "UPDATE pipeline_stages s SET position = o.position - 1"
        " FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, position) WHERE s.id = o.id",
        order,
    )
    await record_change(
        "update", "pipeline_stage", stage_id, actor_user_id=principal.user_id,
        before={"position": index}, after={"position": target},
    )  # fmt: skip
    return await _done(pipeline.id)


async def deals_in_stage(stage_id: int) -> int:
    """How many deals (of anyone) a stage holds: deletion must deal with all of them."""
    return int(await fetchval(Pipeline, "SELECT count(*) FROM deals WHERE stage_id = $1", stage_id))


async def delete_stage(
    stage_id: int, *, move_to: int | None = None, expected_version: int | None
) -> PipelineView:
    """Delete a stage. Its deals, if any, first move to ``move_to`` (another stage of the same pipeline).

    Raises:
        StageInUse: the stage holds deals and ``move_to`` is None.
        PipelineError: ``move_to`` is not another stage of this pipeline, or this is the last stage.
    """
    principal, pipeline, stage = await _stage_locked(stage_id, expected_version)
    if len(pipeline.stages) == 1:
        raise PipelineError({"stage": _("A pipeline needs at least one stage.")})
    count = await deals_in_stage(stage_id)
    if count and move_to is None:
        raise StageInUse(stage, count)
    if count:
        target = pipeline.stage(move_to)
        if target is None or target.id == stage_id:
            raise PipelineError({"move_to": _("Choose another stage of this pipeline.")})
        await fetch(Pipeline, _MOVE_ALL, stage_id, target.id, principal.user_id, target.kind)
    await fetch(Pipeline, "DELETE FROM pipeline_stages WHERE id = $1", stage_id)
    await record_change(
        "delete", "pipeline_stage", stage_id, actor_user_id=principal.user_id,
        before={"pipeline_id": pipeline.id, **_stage_snapshot(stage)},
        after={"moved_deals_to": move_to} if count else None,
    )  # fmt: skip
    return await _done(pipeline.id)
