"""The kanban board's reads: per stage of one pipeline, the count, the totals per currency and in the base
currency (and weighted by the stage's probability), and the first cards by expected close date, with a cursor
for the rest.

Three small queries whatever the number of deals: one aggregate per stage and currency, the rates for the few
currencies found (today's, in Python), one LATERAL join taking ``cap + 1`` cards per stage from the
``deals_board`` index. Limited to the deals the principal may see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sampark.platform.db.sql import fetch
from sampark.tenants.currencies.conversion import BaseTotal, RateBook, rate_book, today
from sampark.tenants.deals import queries
from sampark.tenants.deals.schemas import DealView, deal_from_row
from sampark.tenants.deals.tables import Deal
from sampark.tenants.pipelines.queries import require_pipeline
from sampark.tenants.pipelines.schemas import PipelineView, StageView
from sampark.tenants.search.listing import Sql, next_cursor, sort_columns

CARD_CAP = 50
_SORT = queries.LIST_SPEC.sorts["expected_close_date"]


@dataclass(frozen=True)
class Total:
    currency: str
    amount: Decimal
    weighted: Decimal
    count: int = 0


@dataclass(frozen=True)
class Column:
    stage: StageView
    count: int
    totals: list[Total]
    cards: list[DealView]
    # The totals in the base currency (deals in a currency without a rate are left out and named).
    base_total: BaseTotal | None = None
    base_weighted: BaseTotal | None = None
    # Cursor for the list of this stage's further cards (sorted by expected close date); None when all shown.
    next_cursor: str | None = None


@dataclass(frozen=True)
class Board:
    pipeline: PipelineView
    columns: list[Column] = field(default_factory=list)


Summary = dict[int, tuple[int, list[tuple[str, Decimal, int]]]]


async def column_summaries(pipeline_id: int, stage_ids: list[int] | None = None) -> Summary:
    """Per stage: how many visible deals, and their total and count per currency."""
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
    summary: Summary = {}
    for row in rows:
        count, totals = summary.get(row["stage_id"], (0, []))
        part = (row["currency"], row["total"], int(row["deals"]))
        summary[row["stage_id"]] = (count + part[2], [*totals, part])
    return summary


async def summary_rates(summary: Summary) -> RateBook:
    """Today's rates for every currency in ``summary`` (open deals convert at today's rate)."""
    return await rate_book({part[0] for _, parts in summary.values() for part in parts}, today())


def summary_column(
    stage: StageView, count: int, parts: list[tuple[str, Decimal, int]], book: RateBook, **more: Any
) -> Column:
    totals = [Total(code, amount, amount * stage.probability / 100, deals) for code, amount, deals in parts]
    day = today()
    return Column(
        stage,
        count,
        totals,
        base_total=book.total(parts, day),
        base_weighted=book.total(parts, day, Decimal(stage.probability) / 100),
        **more,
    )


async def column(pipeline: PipelineView, stage: StageView) -> Column:
    """One column's header figures (after a move, only the two columns involved are recomputed)."""
    summary = await column_summaries(pipeline.id, [stage.id])
    count, parts = summary.get(stage.id, (0, []))
    return summary_column(stage, count, parts, await summary_rates(summary), cards=[])


async def board(pipeline_id: int, *, cap: int = CARD_CAP) -> Board:
    """The board of one pipeline.

    Raises:
        PipelineNotFound: no such pipeline. PermissionDenied: the principal may not view deals.
    """
    pipeline = await require_pipeline(pipeline_id)
    summary = await column_summaries(pipeline.id)
    book = await summary_rates(summary)
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
        count, parts = summary.get(stage.id, (0, []))
        cards_shown = [queries.masked(deal_from_row(row)) for row in rows[:cap]]
        columns.append(
            summary_column(
                stage, count, parts, book, cards=cards_shown, next_cursor=next_cursor(rows, cap, _SORT)
            )
        )
    return Board(pipeline, columns)
