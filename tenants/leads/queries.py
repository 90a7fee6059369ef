"""Lead reads: one lead, keyset lists with allowlisted filters and sorts, duplicate and conversion matches.

Every read is limited to the owners the principal's role may see on ``leads``; fields the role hides
(``roles.hidden_fields["leads"]``: ``email``/``emails``, ``phone``/``phones``, ``notes``) are blanked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from sampark.platform.db.sql import dumps, fetch, fetchrow
from sampark.platform.i18n import lazy_gettext
from sampark.platform.identity.users import normalize_email, validate_email
from sampark.tenants.access.policy import current_principal
from sampark.tenants.contacts.fields import tag_filter_value
from sampark.tenants.customfields.filters import with_custom
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.schemas import FieldDefinition
from sampark.tenants.leads.fields import SOURCES, STATUSES
from sampark.tenants.leads.schemas import LeadPage, LeadView, lead_from_row
from sampark.tenants.leads.tables import Lead
from sampark.tenants.records.queries import count_visible, id_filter, list_rows, owner_scope, visible_flag
from sampark.tenants.search.listing import Filter, ListError, ListSpec, Sort, Sql
from sampark.tenants.search.text import prefix_tsquery

OBJECT = "leads"
MAX_PAGE_SIZE = 100
COLUMNS = (
    "l.id, l.first_name, l.last_name, l.company_name, l.title, l.email, l.phone, l.emails, l.phones, l.website,"
    " l.source, l.status, l.disqualify_reason, l.owner_id, l.notes, l.tags, l.version, l.created_at,"
    " l.updated_at, l.converted_contact_id, l.converted_company_id, l.converted_deal_id, l.converted_at,"
    " l.converted_by, l.custom"
)
_HIDDEN: dict[str, dict[str, Any]] = {
    "email": {"email": "", "emails": ()},
    "emails": {"email": "", "emails": ()},
    "phone": {"phone": "", "phones": ()},
    "phones": {"phone": "", "phones": ()},
    "notes": {"notes": ""},
}


def scope(sql: Sql, alias: str = "l") -> None:
    """Limit ``sql`` to leads the principal may see (raises PermissionDenied for none)."""
    owner_scope(sql, OBJECT, alias)


def no_join(sql: Sql) -> str:
    return ""


def masked(view: LeadView) -> LeadView:
    """``view`` with the fields the principal's role hides blanked."""
    changes: dict[str, Any] = {}
    for name in current_principal().hidden(OBJECT):
        changes.update(_HIDDEN.get(name, {}))
    return dataclasses.replace(view, **changes) if changes else view


def _text_filter(weights: str) -> Filter:
    def apply(sql: Sql, value: str) -> None:
        query = prefix_tsquery(value, weights)
        sql.where(f"l.search_vector @@ to_tsquery('simple', {sql.bind(query)})" if query else "false")

    return apply


def emails_hidden() -> bool:
    """The reader's role hides leads' e-mails: nothing may match on them (a hit would tell the address)."""
    return bool(current_principal().hidden(OBJECT) & {"email", "emails"})


def _quick_filter(sql: Sql, value: str) -> None:
    # E-mails share weight B with the company name: a role that may not see them searches names only.
    _text_filter("A" if emails_hidden() else "AB")(sql, value)


def _email_filter(sql: Sql, value: str) -> None:
    if emails_hidden():
        sql.where("false")
    elif "@" in value and validate_email(value) is None:
        sql.where(f"l.emails @> {sql.bind(dumps([normalize_email(value)]))}::jsonb")
    else:
        _text_filter("B")(sql, value)


def _choice_filter(column: str, choices: Mapping[str, Any], message: Any) -> Filter:
    """An equality filter on a choice column; ``message`` (lazy) says what to do with another value."""

    def apply(sql: Sql, value: str) -> None:
        if value not in choices:
            raise ListError("invalid_filter", str(message), column)
        sql.where(f"l.{column} = {sql.bind(value)}")

    return apply


def _tag_filter(sql: Sql, value: str) -> None:
    sql.where(f"l.tags @> {sql.bind(tag_filter_value(value))}::jsonb")


LIST_SPEC = ListSpec(
    filters={
        "q": _quick_filter,
        "email": _email_filter,
        "status": _choice_filter("status", STATUSES, lazy_gettext("Choose a status from the list.")),
        "source": _choice_filter("source", SOURCES, lazy_gettext("Choose a source from the list.")),
        "owner_id": id_filter("l", "owner_id"),
        "tag": _tag_filter,
    },
    sorts={
        "name": Sort(("lower(l.first_name)", "lower(l.last_name)", "l.id"), ("text", "text", "int")),
        "company_name": Sort(("lower(l.company_name)", "l.id"), ("text", "int")),
        "created_at": Sort(("l.created_at", "l.id"), ("datetime", "int")),
        "updated_at": Sort(("l.updated_at", "l.id"), ("datetime", "int")),
        "id": Sort(("l.id",), ("int",)),
    },
    default_sort="-created_at",
)


async def get_lead(lead_id: int, *, lock: bool = False) -> LeadView | None:
    """One lead, or None when it does not exist or the principal may not see it (callers answer 404)."""
    sql = Sql()
    sql.where(f"l.id = {sql.bind(lead_id)}")
    scope(sql)
    query = f"SELECT {COLUMNS} FROM leads l {sql.where_sql()}" + (" FOR UPDATE OF l" if lock else "")
    row = await fetchrow(Lead, query, *sql.params)
    return masked(lead_from_row(row)) if row else None


async def list_leads(
    *,
    limit: int = 25,
    cursor: str | None = None,
    sort: str | None = None,
    filters: Mapping[str, str] | None = None,
    fields: Sequence[FieldDefinition] | None = None,
) -> LeadPage:
    """A keyset page of the leads the principal may see (newest first unless ``sort`` says otherwise).

    ``fields`` are the active custom lead fields when the caller has them already (their ``cf.`` filters).

    Raises:
        ListError: unknown filter or sort field, a bad filter value, or a foreign cursor.
    """
    spec = with_custom(LIST_SPEC, fields if fields is not None else await fields_for(OBJECT), "l")
    page = await list_rows(
        Lead, spec, obj=OBJECT, alias="l", columns=COLUMNS, join=no_join, limit=limit,
        max_page_size=MAX_PAGE_SIZE, cursor=cursor, sort=sort, filters=filters,
    )  # fmt: skip
    return LeadPage([masked(lead_from_row(row)) for row in page.rows], page.next_cursor, page.sort)


async def count_leads() -> int:
    return await count_visible(Lead, OBJECT, "l")


async def find_lead_duplicates(
    emails: list[str], phones: list[str], exclude_id: int | None = None
) -> tuple[list[LeadView], int]:
    """Open (not converted) leads sharing an e-mail or phone: those the principal may see, and how many more."""
    if not emails and not phones:
        return [], 0
    sql = Sql()
    matches = [f"l.emails @> {sql.bind(dumps([email]))}::jsonb" for email in emails]
    matches += [f"l.phones @> {sql.bind(dumps([{'number': number}]))}::jsonb" for number in phones]
    sql.where(f"({' OR '.join(matches)})")
    sql.where("l.status <> 'converted'")
    if exclude_id is not None:
        sql.where(f"l.id <> {sql.bind(exclude_id)}")
    visible = visible_flag(sql, OBJECT, "l")
    query = f"SELECT {COLUMNS}, {visible} AS visible FROM leads l {sql.where_sql()} ORDER BY l.id LIMIT 20"
    rows = await fetch(Lead, query, *sql.params)
    seen = [masked(lead_from_row(row)) for row in rows if row["visible"]]
    return seen, len(rows) - len(seen)
