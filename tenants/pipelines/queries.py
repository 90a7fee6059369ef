"""Pipeline reads. Pipelines are configuration, not anyone's records: every member of the tenant may read them
(deal pages need them); changing them needs the ``settings`` permission (``services``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sampark.platform.db.sql import fetch
from sampark.platform.i18n.tenant_text import load
from sampark.tenants.access.policy import current_principal_or_none
from sampark.tenants.pipelines.schemas import PipelineNotFound, PipelineView, StageView
from sampark.tenants.pipelines.tables import Pipeline

_PIPELINES = "SELECT id, name, names, position, is_default, version FROM pipelines {where} ORDER BY position, id {lock}"
_STAGES = (
    "SELECT id, pipeline_id, name, names, position, probability, kind FROM pipeline_stages"
    " WHERE pipeline_id = ANY($1::bigint[]) ORDER BY pipeline_id, position, id"
)


def _stage(row: Any) -> StageView:
    return StageView(
        row["id"], row["pipeline_id"], row["name"], row["position"], row["probability"], row["kind"],
        load(row["names"]),
    )  # fmt: skip


async def _load(where: str = "", *args: Any, lock: bool = False) -> list[PipelineView]:
    rows = await fetch(Pipeline, _PIPELINES.format(where=where, lock="FOR UPDATE" if lock else ""), *args)
    stages: dict[int, list[StageView]] = defaultdict(list)
    for row in await fetch(Pipeline, _STAGES, [row["id"] for row in rows]):
        stages[row["pipeline_id"]].append(_stage(row))
    return [
        PipelineView(
            row["id"],
            row["name"],
            row["position"],
            row["is_default"],
            row["version"],
            tuple(stages[row["id"]]),
            load(row["names"]),
        )
        for row in rows
    ]


async def list_pipelines() -> list[PipelineView]:
    """Every pipeline of the tenant with its stages in order."""
    return await _load()


async def get_pipeline(pipeline_id: int, *, lock: bool = False) -> PipelineView | None:
    found = await _load("WHERE id = $1", pipeline_id, lock=lock)
    return found[0] if found else None


async def require_pipeline(pipeline_id: int, *, lock: bool = False) -> PipelineView:
    """The pipeline, or PipelineNotFound (answered 404)."""
    pipeline = await get_pipeline(pipeline_id, lock=lock)
    if pipeline is None:
        raise PipelineNotFound(pipeline_id)
    return pipeline


async def default_pipeline() -> PipelineView | None:
    """The default pipeline (the first one when none is marked)."""
    found = await _load(
        "WHERE id = (SELECT id FROM pipelines ORDER BY is_default DESC, position, id LIMIT 1)"
    )
    return found[0] if found else None


# The member's first team (lowest id) that chose a pipeline, as for the other team defaults
# (tenants/settings/services.py); else the tenant's default pipeline.
_MEMBER_DEFAULT = """
WHERE id = coalesce(
  (SELECT default_pipeline_id FROM teams WHERE id = ANY($1::bigint[]) AND default_pipeline_id IS NOT NULL
    ORDER BY id LIMIT 1),
  (SELECT id FROM pipelines ORDER BY is_default DESC, position, id LIMIT 1))
"""


async def member_default_pipeline() -> PipelineView | None:
    """Where the acting member's deals start: their team's default pipeline, else the tenant's default one.

    Service accounts and workers acting as the system have no teams, so they get the tenant's default.
    """
    principal = current_principal_or_none()
    found = await _load(_MEMBER_DEFAULT, sorted(principal.team_ids) if principal else [])
    return found[0] if found else None


async def pipeline_of_stage(stage_id: int) -> PipelineView | None:
    found = await _load("WHERE id = (SELECT pipeline_id FROM pipeline_stages WHERE id = $1)", stage_id)
    return found[0] if found else None
