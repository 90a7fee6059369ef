"""The kanban board's reads: per stage of one pipeline, the count, the totals per currency (and weighted by
the stage's probability), and the first cards by expected close date, with a cursor for the rest.

Two queries whatever the number of deals: one aggregate, one LATERAL join taking ``cap + 1`` cards per stage
from the ``deals_board`` index. Limited to the deals the principal may see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sampark.tenants.deals import queries
from sampark.tenants.deals.schemas import DealView, deal_from_row
from sampark.tenants.deals.tables import Deal
from sampark.tenants.pipelines.queries import require_pipeline
from sampark.tenants.pipelines.schemas import PipelineView, StageView
from sampark.tenants.search.db import fetch
from sampark.tenants.search.listing import Sql, next_cursor, sort_columns

CARD_CAP = 50
_SORT = queries.LIST_SPEC.sorts["expected_close_date"]


@dataclass(frozen=True)
class Total:
    currency: str
    amount: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class Column:
    stage: StageView
    count: int
    totals: list[Total]
    cards: list[DealView]
    # Cursor for the list of this stage's further cards (sorted by expected close date); None when all shown.
    next_cursor: str | None = None


@dataclass(frozen=True)
class Board:
    pipeline: PipelineView
    columns: list[Column] = field(default_factory=list)


async def column_summaries(
    pipeline_id: int, stage_ids: list[int] | None = None
) -> dict[int, tuple[int, list[tuple[str, Decimal]]]]:
    """Per stage: how many visible deals, and their total per currency."""
    sql = Sql()
    sql.where(f"d.pipeline_id = {sql.bind(pipeline_id)}")
    if stage_ids is not None:
        sql.where(f"d.stage_id = ANY({sql.bind(stage_ids)}::bigint[])")
    queries.scope(sql)
    rows = await fetch(
        Deal,
        f"SELECT d.stage_id, d.currency, count(*) AS deals, sum(d.amount) AS total FROM deals d {sql.where_sql()}"
        " GROUP BY d.stage_id, d.currency ORDER BY d.stage_id, d.currency",
        *sql.params,
    )
    summary: dict[int, tuple[int, list[tuple[str, Decimal]]]] = {}
    for row in rows:
        count, totals = summary.get(row["stage_id"], (0, []))
        summary[row["stage_id"]] = (count + int(row["deals"]), [*totals, (row["currency"], row["total"])])
    return summary


def _totals(stage: StageView, totals: list[tuple[str, Decimal]]) -> list[Total]:
    return [Total(currency, amount, amount * stage.probability / 100) for currency, amount in totals]


async def column(pipeline: PipelineView, stage: StageView) -> Column:
    """One column's header figures (after a move, only the two columns involved are recomputed)."""
    count, totals = (await column_summaries(pipeline.id, [stage.id])).get(stage.id, (0, []))
    return Column(stage, count, _totals(stage, totals), [])


async def board(pipeline_id: int, *, cap: int = CARD_CAP) -> Board:
    """The board of one pipeline.

    Raises:
        PipelineNotFound: no such pipeline. PermissionDenied: the principal may not view deals.
    """
    pipeline = await require_pipeline(pipeline_id)
    summary = await column_summaries(pipeline.id)
    sql = Sql()
    stage_param = sql.bind(pipeline.id)
    inner = Sql(params=sql.params)
    inner.where("d.stage_id = st.id")
    queries.scope(inner)
    joins = queries.joins(sql)
    statement = (
        f"SELECT {queries.COLUMNS}{sort_columns(_SORT)} FROM pipeline_stages st"
        f" CROSS JOIN LATERAL (SELECT * FROM deals d {inner.where_sql()}"
        f" ORDER BY d.expected_close_date, d.id LIMIT {sql.bind(cap + 1)}) d {joins}"
        f" WHERE st.pipeline_id = {stage_param} ORDER BY st.position, st.id, {', '.join(_SORT.expressions)}"
    )
    cards: dict[int, list[Any]] = defaultdict(list)
    for row in await fetch(Deal, statement, *sql.params):
        cards[row["stage_id"]].append(row)
    columns = []
    for stage in pipeline.stages:
        rows = cards.get(stage.id, [])
        count, totals = summary.get(stage.id, (0, []))
        columns.append(
            Column(
                stage,
                count,
                _totals(stage, totals),
                [deal_from_row(row) for row in rows[:cap]],
                next_cursor(rows, cap, _SORT),
            )
        )
    return Board(pipeline, columns)
