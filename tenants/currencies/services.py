"""Exchange-rate rules: listing, entering, deleting and importing rates. Runs inside a tenant context.

Rates are administration: viewing needs ``settings`` view, writing ``settings`` edit. A rate is a fact for one
pair and day, so entering a rate for a pair and day that already has one replaces it (audited as an update)
rather than refusing; there is no in-place edit, hence no version. Converting amounts (``conversion.py``) needs
no permission: applying the tenant's rates is not reading anyone's data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sampark.platform.db.sql import fetch, fetchrow
from sampark.tenants.access.policy import require
from sampark.tenants.audit.services import record_change
from sampark.tenants.currencies.conversion import base_currency, today
from sampark.tenants.currencies.imports import parse_rates
from sampark.tenants.currencies.schemas import (
    RateError,
    RateImportError,
    RateNotFound,
    RatePage,
    RateView,
    rate_from_row,
)
from sampark.tenants.currencies.tables import ExchangeRate
from sampark.tenants.currencies.validation import clean_currency, clean_day, clean_rate, currency_problem
from sampark.tenants.search.listing import (
    ListError,
    ListSpec,
    Sort,
    Sql,
    apply_keyset,
    next_cursor,
    parse_request,
    sort_columns,
)

OBJECT = "settings"
AUDIT_OBJECT = "exchange_rates"
MAX_PAGE_SIZE = 200
_COLUMNS = (
    "r.id, r.currency, r.base, r.rate, r.valid_from, r.source, r.created_by, r.created_at, r.updated_at"
)
_UPSERT = (
    "INSERT INTO exchange_rates (currency, base, rate, valid_from, source, created_by) VALUES ($1, $2, $3, $4, $5, $6)"
    " ON CONFLICT (base, currency, valid_from) DO UPDATE SET rate = EXCLUDED.rate, source = EXCLUDED.source,"
    " created_by = EXCLUDED.created_by, updated_at = now() RETURNING id"
)


def _currency_filter(sql: Sql, value: str) -> None:
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ListError("invalid_filter", currency_problem(), "currency")
    sql.where(f"r.currency = {sql.bind(code)}")


LIST_SPEC = ListSpec(
    filters={"currency": _currency_filter},
    sorts={
        "valid_from": Sort(("(r.valid_from - '2000-01-01'::date)", "r.id"), ("int", "int")),
        "currency": Sort(("r.currency", "r.id"), ("text", "int")),
    },
    default_sort="-valid_from",
)


async def list_rates(
    *,
    limit: int = 50,
    cursor: str | None = None,
    sort: str | None = None,
    filters: Mapping[str, str] | None = None,
) -> RatePage:
    """Rates against the current base currency, newest first by default (keyset pages).

    Raises:
        PermissionDenied: the role may not view settings. ListError: unknown filter or sort, bad cursor.
    """
    require(OBJECT, "view", record=False)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    request = parse_request(LIST_SPEC, filters or {}, sort, cursor)
    sql = Sql()
    sql.where(f"r.base = {sql.bind(await base_currency())}")
    for name, value in request.filters.items():
        LIST_SPEC.filters[name](sql, value)
    order = apply_keyset(sql, request)
    rows = await fetch(
        ExchangeRate,
        f"SELECT {_COLUMNS}{sort_columns(request.sort)} FROM exchange_rates r {sql.where_sql()} {order}"
        f" LIMIT {sql.bind(limit + 1)}",
        *sql.params,
    )
    return RatePage([rate_from_row(row) for row in rows[:limit]], next_cursor(rows, limit, request.sort))


async def get_rate(rate_id: int) -> RateView:
    require(OBJECT, "view", record=False)
    row = await fetchrow(ExchangeRate, f"SELECT {_COLUMNS} FROM exchange_rates r WHERE r.id = $1", rate_id)
    if row is None:
        raise RateNotFound(rate_id)
    return rate_from_row(row)


async def _store(currency: str, base: str, rate: Decimal, day: date, source: str, actor: int | None) -> int:
    # Lock the pair's existing row (if any) first, so the audited "before" is the rate this write replaces.
    old = await fetchrow(
        ExchangeRate,
        "SELECT rate FROM exchange_rates WHERE base = $1 AND currency = $2 AND valid_from = $3 FOR UPDATE",
        base, currency, day,
    )  # fmt: skip
    row = await fetchrow(ExchangeRate, _UPSERT, currency, base, rate, day, source, actor)
    after = {
        "currency": currency,
        "base": base,
        "rate": str(rate),
        "valid_from": day.isoformat(),
        "source": source,
    }
    if old is None:
        await record_change("create", AUDIT_OBJECT, row["id"], actor_user_id=actor, after=after)
    else:
        before = {**after, "rate": str(old["rate"].normalize())}
        await record_change(
            "update", AUDIT_OBJECT, row["id"], actor_user_id=actor, before=before, after=after
        )
    return int(row["id"])


async def add_rate(data: Mapping[str, Any]) -> RateView:
    """Enter ``{"currency", "rate", "valid_from"}`` (strings; the date defaults to today) against the base.

    Raises:
        PermissionDenied: the role may not edit settings. RateError: a field is invalid; nothing was written.
    """
    principal = require(OBJECT, "edit", record=False)
    base = await base_currency()
    currency, currency_problem = clean_currency(str(data.get("currency") or ""), base)
    rate, rate_problem = clean_rate(str(data.get("rate") or ""))
    day_text = str(data.get("valid_from") or "").strip()
    day, day_problem = clean_day(day_text) if day_text else (today(), None)
    errors = {
        key: message
        for key, message in (
            ("currency", currency_problem),
            ("rate", rate_problem),
            ("valid_from", day_problem),
        )
        if message
    }
    if errors or rate is None or day is None:
        raise RateError(errors)
    rate_id = await _store(currency, base, rate, day, "manual", principal.user_id)
    return await get_rate(rate_id)


async def delete_rate(rate_id: int) -> RateView:
    """Remove one rate (a mistyped one); conversions fall back to the pair's previous rate.

    Raises:
        PermissionDenied: the role may not edit settings. RateNotFound: no such rate.
    """
    principal = require(OBJECT, "edit", record=False)
    row = await fetchrow(
        ExchangeRate, f"DELETE FROM exchange_rates r WHERE r.id = $1 RETURNING {_COLUMNS}", rate_id
    )
    if row is None:
        raise RateNotFound(rate_id)
    gone = rate_from_row(row)
    before = {
        "currency": gone.currency, "base": gone.base, "rate": str(gone.rate.normalize()),
        "valid_from": gone.valid_from.isoformat(), "source": gone.source,
    }  # fmt: skip
    await record_change("delete", AUDIT_OBJECT, gone.id, actor_user_id=principal.user_id, before=before)
    return gone


async def import_rates(data: bytes) -> int:
    """Import a ``currency,rate,date`` CSV against the base currency: all rows or none.

    Returns:
        How many rates were written (new or replaced).

    Raises:
        PermissionDenied: the role may not edit settings.
        RateImportError: at least one line is bad; ``problems`` lists every one, and nothing was written.
    """
    principal = require(OBJECT, "edit", record=False)
    base = await base_currency()
    rows, problems = parse_rates(data, base)
    if problems:
        raise RateImportError(problems)
    for row in rows:
        await _store(row.currency, base, row.rate, row.valid_from, "import", principal.user_id)
    return len(rows)
