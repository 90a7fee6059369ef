"""Company reads: one company, keyset lists with allowlisted filters and sorts, duplicates, choices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sampark.platform.db.sql import fetch, fetchrow
from sampark.tenants.access.policy import PermissionDenied, visible_owner_ids
from sampark.tenants.companies.fields import normalize_domain
from sampark.tenants.companies.schemas import CompanyPage, CompanyView, company_from_row
from sampark.tenants.companies.tables import Company
from sampark.tenants.customfields.filters import with_custom
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.schemas import FieldDefinition
from sampark.tenants.records.queries import count_visible, id_filter, list_rows, owner_scope, visible_flag
from sampark.tenants.search.listing import (
    ListSpec,
    Sort,
    Sql,
)
from sampark.tenants.search.text import prefix_tsquery

OBJECT = "companies"
MAX_PAGE_SIZE = 100
COLUMNS = (
    "co.id, co.name, co.domain, co.industry, co.size, co.address, co.parent_id, parent.name AS parent_name,"
    " co.owner_id, co.version, co.created_at, co.updated_at, co.custom"
)


def scope(sql: Sql, alias: str = "co") -> None:
    """Limit ``sql`` to companies the principal may see (raises PermissionDenied for none)."""
    owner_scope(sql, OBJECT, alias)


def parent_join(sql: Sql, alias: str = "co") -> str:
    owners = visible_owner_ids(OBJECT)
    join = f"LEFT JOIN companies parent ON parent.id = {alias}.parent_id"
    if owners is None:
        return join
    return f"{join} AND parent.owner_id = ANY({sql.bind(sorted(owners))}::bigint[])"


def _name_filter(sql: Sql, value: str) -> None:
    query = prefix_tsquery(value, "A")
    sql.where(f"co.search_vector @@ to_tsquery('simple', {sql.bind(query)})" if query else "false")


def _domain_filter(sql: Sql, value: str) -> None:
    sql.where(f"co.domain = {sql.bind(normalize_domain(value))}")


def _industry_filter(sql: Sql, value: str) -> None:
    sql.where(f"lower(co.industry) = lower({sql.bind(value)})")


LIST_SPEC = ListSpec(
    filters={
        "name": _name_filter,
        "domain": _domain_filter,
        "industry": _industry_filter,
        "owner_id": id_filter("co", "owner_id"),
        "parent_id": id_filter("co", "parent_id"),
    },
    sorts={
        "name": Sort(("lower(co.name)", "co.id"), ("text", "int")),
        "domain": Sort(("co.domain", "co.id"), ("text", "int")),
        "created_at": Sort(("co.created_at", "co.id"), ("datetime", "int")),
        "updated_at": Sort(("co.updated_at", "co.id"), ("datetime", "int")),
        "id": Sort(("co.id",), ("int",)),
    },
    default_sort="name",
)


async def get_company(company_id: int, *, lock: bool = False) -> CompanyView | None:
    """One company, or None when it does not exist or the principal may not see it (callers answer 404)."""
    sql = Sql()
    sql.where(f"co.id = {sql.bind(company_id)}")
    scope(sql)
    join = parent_join(sql)
    query = f"SELECT {COLUMNS} FROM companies co {join} {sql.where_sql()}" + (
        " FOR UPDATE OF co" if lock else ""
    )
    row = await fetchrow(Company, query, *sql.params)
    return company_from_row(row) if row else None


async def list_companies(
    *,
    limit: int = 25,
    cursor: str | None = None,
    sort: str | None = None,
    filters: Mapping[str, str] | None = None,
    fields: Sequence[FieldDefinition] | None = None,
) -> CompanyPage:
    """A keyset page of the companies the principal may see (see ``list_contacts`` for the arguments).

    Raises:
        ListError: unknown filter or sort field, a bad filter value, or a foreign cursor.
    """
    page = await list_rows(
        Company,
        with_custom(LIST_SPEC, fields if fields is not None else await fields_for(OBJECT), "co"),
        obj=OBJECT,
        alias="co",
        columns=COLUMNS,
        join=parent_join,
        limit=limit,
        max_page_size=MAX_PAGE_SIZE,
        cursor=cursor,
        sort=sort,
        filters=filters,
    )
    return CompanyPage([company_from_row(row) for row in page.rows], page.next_cursor, page.sort)


async def count_companies() -> int:
    return await count_visible(Company, OBJECT, "co")


async def find_duplicate_companies(
    domain: str, exclude_id: int | None = None
) -> tuple[list[CompanyView], int]:
    """Companies with this (normalized) domain: those the principal may see, and how many more."""
    if not domain:
        return [], 0
    sql = Sql()
    sql.where(f"co.domain = {sql.bind(domain)}")
    if exclude_id is not None:
        sql.where(f"co.id <> {sql.bind(exclude_id)}")
    visible = visible_flag(sql, OBJECT, "co")
    join = "LEFT JOIN companies parent ON false"
    query = f"SELECT {COLUMNS}, {visible} AS visible FROM companies co {join} {sql.where_sql()} ORDER BY co.id LIMIT 20"
    rows = await fetch(Company, query, *sql.params)
    seen = [company_from_row(row) for row in rows if row["visible"]]
    return seen, len(rows) - len(seen)


async def company_choices(
    text: str = "", *, limit: int = 50, include: int | None = None
) -> list[CompanyView]:
    """Companies to offer in a picker: those matching ``text`` by name (all when empty), by name, plus ``include``.

    Empty when the principal may not see companies at all.
    """
    try:
        filters = {"name": text} if text.strip() else {}
        items = (await list_companies(limit=limit, filters=filters)).items
        if include is not None and all(item.id != include for item in items):
            extra = await get_company(include)
            if extra is not None:
                items = [extra, *items]
    except PermissionDenied:
        return []
    return items
