"""Contact rules. Runs inside a tenant context as a principal: every read is scoped by the principal's role,
every change is checked against it, versioned (optimistic concurrency) and audited field by field in the same
transaction. Reads live in ``queries``; they are re-exported here so callers need one module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from sampark.platform.db.sql import fetchrow
from sampark.platform.i18n import gettext as _
from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.policy import PermissionDenied, Principal, require
from sampark.tenants.audit.services import record_change
from sampark.tenants.contacts.addresses import address_text
from sampark.tenants.contacts.fields import default_phone_region
from sampark.tenants.contacts.queries import (
    COLUMNS,
    MAX_PAGE_SIZE,
    OBJECT,
    company_join,
    count_contacts,
    find_duplicates,
    get_contact,
    list_contacts,
    masked,
    scope,
)
from sampark.tenants.contacts.schemas import (
    ContactError,
    ContactNotFound,
    ContactPage,
    ContactView,
    DuplicateContacts,
    Phone,
    VersionConflict,
    contact_from_row,
)
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.contacts.validation import WRITABLE, clean_contact
from sampark.tenants.customfields.hooks import audit_values, custom_changes
from sampark.tenants.records.columns import column_values, current_value
from sampark.tenants.records.links import record_deleted
from sampark.tenants.records.owners import check_owner
from sampark.tenants.search.listing import Sql

__all__ = [
    "MAX_PAGE_SIZE", "ContactError", "ContactNotFound", "ContactPage", "ContactView", "DuplicateContacts",
    "Phone", "VersionConflict", "count_contacts", "create_contact", "delete_contact", "find_duplicates",
    "get_contact", "list_contacts", "update_contact",
]  # fmt: skip

AUDIT_TYPE = "contact"
_JSON_COLUMNS = frozenset({"emails", "phones", "addresses", "tags", "custom"})
# The hidden-field names a role can list, and the writable fields each one protects from change.
_HIDDEN_WRITES = {"email": ("emails",), "emails": ("emails",), "phone": ("phones",), "phones": ("phones",)}


def snapshot(view: ContactView) -> dict[str, Any]:
    """The audited form of a contact: plain values, lists as readable text."""
    return {
        "first_name": view.first_name,
        "last_name": view.last_name,
        "emails": ", ".join(view.emails),
        "phones": ", ".join(f"{p.number} ({p.label})" if p.label else p.number for p in view.phones),
        "addresses": " | ".join(address_text(address) for address in view.addresses),
        "company_id": view.company_id,
        "owner_id": view.owner_id,
        "lifecycle_stage": view.lifecycle_stage,
        "source": view.source,
        "tags": ", ".join(view.tags),
        "language": view.language,
        "time_zone": view.time_zone,
        **audit_values(view.custom),
    }


def _set(view: ContactView) -> dict[str, Any]:
    """The snapshot without empty fields: what a creation set."""
    return {name: value for name, value in snapshot(view).items() if value not in ("", None)}


def _without_hidden(clean: dict[str, Any], principal: Principal) -> dict[str, Any]:
    protected = {field for name in principal.hidden(OBJECT) for field in _HIDDEN_WRITES.get(name, (name,))}
    return {name: value for name, value in clean.items() if name not in protected}


async def _check_links(clean: Mapping[str, Any], principal: Principal, errors: dict[str, str]) -> None:
    """The company must be one the principal can see; the owner an active member within the edit scope."""
    company_id = clean.get("company_id")
    if company_id is not None:
        sql = Sql()
        sql.where(f"co.id = {sql.bind(company_id)}")
        try:
            scope(sql, "companies", "co")
        except PermissionDenied:
            sql.where("false")
        if await fetchrow(Contact, f"SELECT 1 FROM companies co {sql.where_sql()}", *sql.params) is None:
            errors["company_id"] = _("Choose a company from the list.")
    await check_owner(OBJECT, clean, principal, errors, _("You cannot give contacts to this person."))


async def _write(statement: str, sql: Sql) -> ContactView:
    """Run an INSERT/UPDATE ... RETURNING * and read the row back as a view (one round trip)."""
    join = company_join(sql)
    query = f"WITH c AS ({statement} RETURNING *) SELECT {COLUMNS} FROM c {join}"
    try:
        row = await fetchrow(Contact, query, *sql.params)
    except asyncpg.ForeignKeyViolationError:  # the company was deleted a moment ago
        raise ContactError({"company_id": _("Choose a company from the list.")}) from None
    return masked(contact_from_row(row))


async def create_contact(
    data: Mapping[str, Any], *, allow_duplicate: bool = False, phone_region: str | None = None
) -> ContactView:
    """Create a contact (owned by the acting user unless ``owner_id`` says otherwise) and audit it.

    Raises:
        PermissionDenied: the principal may not create contacts.
        ContactError: with a message per invalid field.
        DuplicateContacts: another contact has one of the e-mails or phones (unless ``allow_duplicate``).
    """
    principal = require(OBJECT, "create", record=False)
    region = phone_region or default_phone_region(current_tenant().region)
    clean, errors = clean_contact({"first_name": "", **data}, phone_region=region)
    clean = _without_hidden(clean, principal)
    if clean.get("owner_id") is None:
        clean["owner_id"] = principal.user_id
    await _check_links(clean, principal, errors)
    custom = await custom_changes(OBJECT, data, None, errors)
    if errors:
        raise ContactError(errors)
    if not allow_duplicate:
        numbers = [phone["number"] for phone in clean.get("phones", [])]
        matches, hidden = await find_duplicates(clean.get("emails", []), numbers)
        if matches or hidden:
            raise DuplicateContacts(matches, hidden)
    sql = Sql()
    values = {**column_values(clean, _JSON_COLUMNS), "custom": custom}
    placeholders = ", ".join(
        f"{sql.bind(value)}::jsonb" if name in _JSON_COLUMNS else sql.bind(value)
        for name, value in values.items()
    )
    contact = await _write(f"INSERT INTO contacts ({', '.join(values)}) VALUES ({placeholders})", sql)
    await record_change(
        "create", AUDIT_TYPE, contact.id, actor_user_id=principal.user_id, after=_set(contact)
    )
    return contact


async def _locked(contact_id: int) -> ContactView:
    """The contact, row-locked until the transaction ends, if the principal may see it."""
    sql = Sql()
    sql.where(f"c.id = {sql.bind(contact_id)}")
    scope(sql)
    join = company_join(sql)
    query = f"SELECT {COLUMNS} FROM contacts c {join} {sql.where_sql()} FOR UPDATE OF c"
    row = await fetchrow(Contact, query, *sql.params)
    if row is None:
        raise ContactNotFound(contact_id)
    return masked(contact_from_row(row))


async def update_contact(
    contact_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    phone_region: str | None = None,
) -> ContactView:
    """Change the given fields if the contact is still at ``expected_version`` (None: skip that check).

    Raises:
        ContactNotFound: no such contact, or the principal may not see it.
        PermissionDenied: the principal may see but not edit it.
        VersionConflict: someone changed it since ``expected_version``.
        ContactError: with a message per invalid field.
    """
    current = await _locked(contact_id)
    principal = require(OBJECT, "edit", owner_id=current.owner_id)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    region = phone_region or default_phone_region(current_tenant().region)
    allowed = {name: value for name, value in changes.items() if name in (*WRITABLE, "email", "phone")}
    clean, errors = clean_contact(allowed, phone_region=region)
    clean = _without_hidden(clean, principal)
    before = snapshot(current)
    changed = {name: value for name, value in clean.items() if current_value(current, name) != value}
    await _check_links(
        {k: v for k, v in changed.items() if k in ("company_id", "owner_id")}, principal, errors
    )
    custom = await custom_changes(OBJECT, changes, current.custom, errors)
    if errors:
        raise ContactError(errors)
    if not changed and custom is None:
        return current
    sql = Sql()
    values = column_values(changed, _JSON_COLUMNS) | ({"custom": custom} if custom is not None else {})
    sets = [
        f"{name} = {sql.bind(value)}::jsonb" if name in _JSON_COLUMNS else f"{name} = {sql.bind(value)}"
        for name, value in values.items()
    ]
    statement = (
        f"UPDATE contacts SET {', '.join(sets)}, version = version + 1, updated_at = now()"
        f" WHERE id = {sql.bind(contact_id)}"
    )
    contact = await _write(statement, sql)
    await record_change(
        "update",
        AUDIT_TYPE,
        contact.id,
        actor_user_id=principal.user_id,
        before=before,
        after=snapshot(contact),
    )
    return contact


async def delete_contact(contact_id: int, *, expected_version: int | None) -> ContactView:
    """Delete the contact if it is still at ``expected_version`` (None: skip that check); audit what it was.

    Raises:
        ContactNotFound, PermissionDenied, VersionConflict: as for ``update_contact``.
    """
    current = await _locked(contact_id)
    principal = require(OBJECT, "delete", owner_id=current.owner_id)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    await record_deleted(AUDIT_TYPE, contact_id)
    await fetchrow(Contact, "DELETE FROM contacts WHERE id = $1 RETURNING id", contact_id)
    await record_change(
        "delete", AUDIT_TYPE, contact_id, actor_user_id=principal.user_id, before=snapshot(current)
    )
    return current
