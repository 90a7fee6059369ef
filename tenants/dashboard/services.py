"""The dashboard's figures: open pipeline value per stage in the base currency, deals won this month, the
reader's tasks due today or overdue, recent activities. Runs inside a tenant context.

Each part reads through its feature's own scoped queries, so a Sales user sees only their own deals' value; a
part the role may not see at all is None (the page leaves it out) rather than an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sampark.platform.db.sql import fetchrow
from sampark.platform.i18n.context import current_preferences
from sampark.platform.i18n.formatting import in_time_zone
from sampark.tenants.access.policy import PermissionDenied, current_principal, require
from sampark.tenants.activities.queries import list_activities
from sampark.tenants.activities.schemas import ActivityView
from sampark.tenants.currencies.conversion import (
    AGGREGATES,
    BaseTotal,
    base_amount_sql,
    base_currency,
    total_from_row,
)
from sampark.tenants.deals import board, queries
from sampark.tenants.deals.tables import Deal
from sampark.tenants.pipelines.queries import list_pipelines
from sampark.tenants.pipelines.schemas import PipelineView
from sampark.tenants.search.listing import Sql
from sampark.tenants.tasks.queries import day_start, list_tasks
from sampark.tenants.tasks.schemas import TaskView

MAX_PIPELINES = 5
TASK_LIMIT = 10
ACTIVITY_LIMIT = 5


@dataclass(frozen=True)
class PipelineValue:
    """One pipeline's open stages with their value, and the pipeline's open total (plain and weighted)."""

    pipeline: PipelineView
    columns: list[board.Column]
    total: BaseTotal
    weighted: BaseTotal
    count: int


@dataclass(frozen=True)
class WonThisMonth:
    since: datetime
    count: int
    value: BaseTotal


@dataclass(frozen=True)
class MyTasks:
    overdue: list[TaskView]
    today: list[TaskView]


def _sum(totals: list[BaseTotal], base: str) -> BaseTotal:
    return BaseTotal(
        base,
        sum((total.amount for total in totals), Decimal(0)),
        tuple(sorted({code for total in totals for code in total.missing})),
        sum(total.missing_count for total in totals),
    )


async def pipeline_values() -> list[PipelineValue] | None:
    """Every pipeline's open stages (the first few pipelines), valued at today's rates; None without deals."""
    try:
        require(queries.OBJECT, "view", record=False)
    except PermissionDenied:
        return None
    base = await base_currency()
    values = []
    for pipeline in (await list_pipelines())[:MAX_PIPELINES]:
        summary = await board.column_summaries(pipeline.id)
        book = await board.summary_rates(summary)
        columns = []
        for stage in pipeline.stages:
            if stage.kind == "open":
                count, parts = summary.get(stage.id, (0, []))
                columns.append(board.summary_column(stage, count, parts, book, cards=[]))
        values.append(
            PipelineValue(
                pipeline,
                columns,
                _sum([column.base_total for column in columns if column.base_total], base),
                _sum([column.base_weighted for column in columns if column.base_weighted], base),
                sum(column.count for column in columns),
            )
        )
    return values


def month_start() -> datetime:
    """The first moment of this month on the reader's wall clock."""
    zone = current_preferences().time_zone
    today = in_time_zone(datetime.now().astimezone(), zone).date()
    return day_start(today.replace(day=1), zone)


async def won_this_month() -> WonThisMonth | None:
    """Deals won since the month began (reader's time zone), valued at the rate of the day each closed."""
    try:
        require(queries.OBJECT, "view", record=False)
    except PermissionDenied:
        return None
    base, since = await base_currency(), month_start()
    sql = Sql()
    value, join = base_amount_sql(sql, base)
    sql.where("d.status = 'won'")
    sql.where(f"d.closed_at >= {sql.bind(since)}")
    queries.scope(sql)
    row = await fetchrow(
        Deal,
        f"SELECT count(*) AS deals, {AGGREGATES} FROM (SELECT d.currency, {value} AS value FROM deals d {join}"
        f" {sql.where_sql()}) won",
        *sql.params,
    )
    return WonThisMonth(since, int(row["deals"]), total_from_row(row, base))


async def my_tasks() -> MyTasks | None:
    """The reader's open tasks that are overdue or due today (the first few of each)."""
    if current_principal().user_id is None:
        return None
    try:
        overdue = await list_tasks(limit=TASK_LIMIT, filters={"view": "mine", "when": "overdue"})
        today = await list_tasks(limit=TASK_LIMIT, filters={"view": "mine", "when": "today"})
    except PermissionDenied:
        return None
    return MyTasks(overdue.items, today.items)


async def recent_activities() -> list[ActivityView] | None:
    try:
        return (await list_activities(limit=ACTIVITY_LIMIT)).items
    except PermissionDenied:
        return None
