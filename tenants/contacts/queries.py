"""Contact reads: one contact, keyset-paginated lists with allowlisted filters and sorts, duplicate lookups.

Every read is limited to the owners the principal's role may see (``visible_owner_ids``), and fields the role
hides are blanked. Company names come from a join that is itself scoped by the companies permission.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from sampark.platform.db.sql import dumps, fetch, fetchrow
from sampark.platform.i18n import gettext as _
from sampark.platform.identity.users import normalize_email, validate_email
from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.policy import PermissionDenied, current_principal, visible_owner_ids
from sampark.tenants.contacts.addresses import country_codes
from sampark.tenants.contacts.fields import (
    LIFECYCLE_STAGES,
    SOURCES,
    clean_language,
    default_phone_region,
    tag_filter_value,
    time_zones,
)
from sampark.tenants.contacts.schemas import ContactPage, ContactView, contact_from_row
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.customfields.filters import with_custom
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.schemas import FieldDefinition
from sampark.tenants.records.queries import (
    choice_filter,
    count_visible,
    date_filter,
    id_filter,
    list_rows,
    owner_scope,
    visible_flag,
)
from sampark.tenants.search.listing import (
    Filter,
    ListError,
    ListSpec,
    Sort,
    Sql,
)
from sampark.tenants.search.text import phone_tsquery, prefix_tsquery

OBJECT = "contacts"
MAX_PAGE_SIZE = 100
COLUMNS = (
    "c.id, c.first_name, c.last_name, c.email, c.phone, c.owner_id, c.version, c.created_at, c.updated_at,"
    " c.emails, c.phones, c.addresses, c.company_id, co.name AS company_name, c.lifecycle_stage, c.source,"
    " c.tags, c.language, c.time_zone, c.custom"
)
# Hidden-field names a role can list, and the view fields each one blanks.
_HIDDEN: dict[str, dict[str, Any]] = {
    "email": {"email": "", "emails": ()},
    "emails": {"email": "", "emails": ()},
    "phone": {"phone": "", "phones": ()},
    "phones": {"phone": "", "phones": ()},
    "addresses": {"addresses": ()},
}


def scope(sql: Sql, obj: str = OBJECT, alias: str = "c") -> None:
    """Limit ``sql`` to records of owners the principal may see (raises PermissionDenied for none)."""
    owner_scope(sql, obj, alias)


def company_join(sql: Sql) -> str:
    """Join the contact's company, only when the principal may see that company."""
    try:
        owners = visible_owner_ids("companies")
    except PermissionDenied:
        return "LEFT JOIN companies co ON false"
    if owners is None:
        return "LEFT JOIN companies co ON co.id = c.company_id"
    bound = sql.bind(sorted(owners))
    return f"LEFT JOIN companies co ON co.id = c.company_id AND co.owner_id = ANY({bound}::bigint[])"


def masked(view: ContactView) -> ContactView:
    """``view`` with the fields the principal's role hides blanked."""
    hidden = current_principal().hidden(OBJECT)
    changes: dict[str, Any] = {}
    for name in hidden:
        changes.update(_HIDDEN.get(name, {}))
    return dataclasses.replace(view, **changes) if changes else view


def _text_filter(weights: str) -> Filter:
    def apply(sql: Sql, value: str) -> None:
        query = prefix_tsquery(value, weights)
        sql.where(f"c.search_vector @@ to_tsquery('simple', {sql.bind(query)})" if query else "false")

    return apply


def _hides(*names: str) -> bool:
    """The reader's role hides one of these contact fields: filtering by it matches nothing (a hit would tell)."""
    return bool(current_principal().hidden(OBJECT) & set(names))


def _email_filter(sql: Sql, value: str) -> None:
    if _hides("email", "emails"):
        sql.where("false")
    elif "@" in value and validate_email(value) is None:
        sql.where(f"c.emails @> {sql.bind(dumps([normalize_email(value)]))}::jsonb")
    else:
        _text_filter("B")(sql, value)


def _phone_filter(sql: Sql, value: str) -> None:
    query = phone_tsquery(value, default_phone_region(current_tenant().region))
    if query is None:
        raise ListError("invalid_filter", _("Enter at least 4 digits of a phone number."), "phone")
    if _hides("phone", "phones"):
        sql.where("false")
        return
    sql.where(f"c.search_vector @@ to_tsquery('simple', {sql.bind(query)})")


def _language_filter(sql: Sql, value: str) -> None:
    errors: dict[str, str] = {}
    language = clean_language(value, errors)
    if errors:
        raise ListError("invalid_filter", errors["language"], "language")
    sql.where(f"c.language = {sql.bind(language)}")


def _country_filter(sql: Sql, value: str) -> None:
    """Contacts with an address in the country (an ISO 3166-1 alpha-2 code)."""
    code = value.strip().upper()
    if code not in country_codes():
        raise ListError("invalid_filter", _("Choose a country from the list."), "country")
    if _hides("addresses"):
        sql.where("false")
        return
    sql.where(f"c.addresses @> {sql.bind(dumps([{'country': code}]))}::jsonb")


def _stage_filter(sql: Sql, value: str) -> None:
    if value not in LIFECYCLE_STAGES:
        raise ListError("invalid_filter", _("Choose a lifecycle stage from the list."), "lifecycle_stage")
    sql.where(f"c.lifecycle_stage = {sql.bind(value)}")


def _tag_filter(sql: Sql, value: str) -> None:
    sql.where(f"c.tags @> {sql.bind(tag_filter_value(value))}::jsonb")


LIST_SPEC = ListSpec(
    filters={
        "name": _text_filter("A"),
        "email": _email_filter,
        "phone": _phone_filter,
        "company_id": id_filter("c", "company_id"),
        "owner_id": id_filter("c", "owner_id"),
        "lifecycle_stage": _stage_filter,
        "tag": _tag_filter,
        "source": choice_filter("c", "source", lambda: SOURCES, _("Choose a source from the list.")),
        "language": _language_filter,
        "time_zone": choice_filter("c", "time_zone", time_zones, _("Choose a time zone from the list.")),
        "country": _country_filter,
        "created_from": date_filter("c", "created_at", until=False),
        "created_to": date_filter("c", "created_at", until=True),
        "updated_from": date_filter("c", "updated_at", until=False),
        "updated_to": date_filter("c", "updated_at", until=True),
    },
    sorts={
        "name": Sort(("lower(c.first_name)", "lower(c.last_name)", "c.id"), ("text", "text", "int")),
        "email": Sort(("c.email", "c.id"), ("text", "int")),
        "created_at": Sort(("c.created_at", "c.id"), ("datetime", "int")),
        "updated_at": Sort(("c.updated_at", "c.id"), ("datetime", "int")),
        "id": Sort(("c.id",), ("int",)),
    },
    default_sort="name",
)


async def list_spec(fields: Sequence[FieldDefinition] | None = None) -> ListSpec:
    """``LIST_SPEC`` with filters on the tenant's custom contact fields (``cf.<key>...``)."""
    return with_custom(LIST_SPEC, fields if fields is not None else await fields_for(OBJECT), "c")


async def get_contact(contact_id: int) -> ContactView | None:
    """One contact, or None when it does not exist or the principal may not see it (callers answer 404)."""
    sql = Sql()
    sql.where(f"c.id = {sql.bind(contact_id)}")
    scope(sql)
    join = company_join(sql)
    row = await fetchrow(Contact, f"SELECT {COLUMNS} FROM contacts c {join} {sql.where_sql()}", *sql.params)
    return masked(contact_from_row(row)) if row else None


async def list_contacts(
    *,
    limit: int = 25,
    cursor: str | None = None,
    sort: str | None = None,
    filters: Mapping[str, str] | None = None,
    fields: Sequence[FieldDefinition] | None = None,
) -> ContactPage:
    """A keyset page of the contacts the principal may see.

    Args:
        limit: rows per page (1 to ``MAX_PAGE_SIZE``).
        cursor: ``next_cursor`` of the previous page.
        sort: an allowlisted field, ``-`` in front for descending (default: name).
        filters: allowlisted field -> value (see ``LIST_SPEC``; custom fields as ``cf.<key>...``).
        fields: the active custom field definitions, when the caller has read them already.

    Raises:
        ListError: unknown filter or sort field, a bad filter value, or a cursor this sort did not produce.
    """
    page = await list_rows(
        Contact,
        await list_spec(fields),
        obj=OBJECT,
        alias="c",
        columns=COLUMNS,
        join=company_join,
        limit=limit,
        max_page_size=MAX_PAGE_SIZE,
        cursor=cursor,
        sort=sort,
        filters=filters,
    )
    return ContactPage([masked(contact_from_row(row)) for row in page.rows], page.next_cursor, page.sort)


async def count_contacts() -> int:
    return await count_visible(Contact, OBJECT, "c")


async def find_duplicates(
    emails: list[str], phones: list[str], exclude_id: int | None = None
) -> tuple[list[ContactView], int]:
    """Contacts sharing any of these e-mails or phone numbers: those the principal may see, and how many more."""
    if not emails and not phones:
        return [], 0
    sql = Sql()
    matches = [f"c.emails @> {sql.bind(dumps([email]))}::jsonb" for email in emails]
    matches += [f"c.phones @> {sql.bind(dumps([{'number': number}]))}::jsonb" for number in phones]
    sql.where(f"({' OR '.join(matches)})")
    if exclude_id is not None:
        sql.where(f"c.id <> {sql.bind(exclude_id)}")
    visible = visible_flag(sql, OBJECT, "c")
    join = company_join(sql)
    query = f"SELECT {COLUMNS}, {visible} AS visible FROM contacts c {join} {sql.where_sql()} ORDER BY c.id LIMIT 20"
    rows = await fetch(Contact, query, *sql.params)
    seen = [masked(contact_from_row(row)) for row in rows if row["visible"]]
    return seen, len(rows) - len(seen)
