"""Company rules: scoped reads (in ``queries``, re-exported), checked, versioned and audited writes, a parent
hierarchy without cycles, and deletion that detaches contacts and subsidiaries instead of deleting them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from sampark.platform.db.sql import dumps, fetchrow, fetchval
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import Principal, require
from sampark.tenants.audit.services import record_change
from sampark.tenants.companies.fields import WRITABLE, clean_company
from sampark.tenants.companies.queries import (
    COLUMNS,
    MAX_PAGE_SIZE,
    OBJECT,
    company_choices,
    count_companies,
    find_duplicate_companies,
    get_company,
    list_companies,
    parent_join,
)
from sampark.tenants.companies.schemas import (
    CompanyError,
    CompanyNotFound,
    CompanyPage,
    CompanyView,
    DuplicateCompanies,
    VersionConflict,
    company_from_row,
)
from sampark.tenants.companies.tables import Company
from sampark.tenants.contacts.addresses import address_text
from sampark.tenants.customfields.hooks import audit_values, custom_changes
from sampark.tenants.records.links import record_deleted
from sampark.tenants.records.owners import check_owner
from sampark.tenants.search.listing import Sql

__all__ = [
    "MAX_PAGE_SIZE", "CompanyError", "CompanyNotFound", "CompanyPage", "CompanyView", "DuplicateCompanies",
    "VersionConflict", "company_choices", "count_companies", "create_company", "delete_company",
    "find_duplicate_companies", "get_company", "list_companies", "update_company",
]  # fmt: skip

AUDIT_TYPE = "company"
MAX_DEPTH = 50
# Walk up from the proposed parent; a cycle exists when the company itself is among the ancestors.
_ANCESTORS = """
WITH RECURSIVE up(id, parent_id, depth) AS (
    SELECT id, parent_id, 1 FROM companies WHERE id = $1
    UNION ALL
    SELECT c.id, c.parent_id, up.depth + 1 FROM companies c JOIN up ON c.id = up.parent_id WHERE up.depth < $3
)
SELECT EXISTS (SELECT 1 FROM up WHERE id = $2) OR max(depth) >= $3 FROM up
"""
# Every tenant has its own schema, so the lock key includes it: hierarchy changes in one tenant never wait
# for another's. Serializing them is what makes the cycle check safe against two concurrent re-parentings.
_TREE_LOCK = "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.company_tree'))"
_DETACH_CONTACTS = """
WITH detached AS (
    UPDATE contacts SET company_id = NULL, version = version + 1, updated_at = now()
    WHERE company_id = $1 RETURNING id
)
INSERT INTO audit_log (actor_user_id, action, object_type, object_id, changes)
SELECT $2, 'update', 'contact', id, jsonb_build_object('company_id', jsonb_build_object('before', $1::bigint, 'after', null))
FROM detached
"""
_DETACH_SUBSIDIARIES = """
WITH detached AS (
    UPDATE companies SET parent_id = NULL, version = version + 1, updated_at = now()
    WHERE parent_id = $1 RETURNING id
)
INSERT INTO audit_log (actor_user_id, action, object_type, object_id, changes)
SELECT $2, 'update', 'company', id, jsonb_build_object('parent_id', jsonb_build_object('before', $1::bigint, 'after', null))
FROM detached
"""


def snapshot(view: CompanyView) -> dict[str, Any]:
    """The audited form of a company."""
    return {
        "name": view.name,
        "domain": view.domain,
        "industry": view.industry,
        "size": view.size,
        "address": address_text(view.address),
        "parent_id": view.parent_id,
        "owner_id": view.owner_id,
        **audit_values(view.custom),
    }


async def _check_links(
    clean: Mapping[str, Any], principal: Principal, errors: dict[str, str], company_id: int | None = None
) -> None:
    parent_id = clean.get("parent_id")
    if parent_id is not None:
        if parent_id == company_id:
            errors["parent_id"] = _("A company cannot be its own parent.")
        elif await get_company(parent_id) is None:
            errors["parent_id"] = _("Choose a parent company from the list.")
        elif company_id is not None:
            await fetchrow(Company, _TREE_LOCK)
            if await fetchval(Company, _ANCESTORS, parent_id, company_id, MAX_DEPTH):
                errors["parent_id"] = _("This company is already above the chosen parent; pick another.")
    await check_owner(OBJECT, clean, principal, errors, _("You cannot give companies to this person."))


async def _write(statement: str, sql: Sql) -> CompanyView:
    join = parent_join(sql, "co")
    query = f"WITH co AS ({statement} RETURNING *) SELECT {COLUMNS} FROM co {join}"
    try:
        row = await fetchrow(Company, query, *sql.params)
    except asyncpg.ForeignKeyViolationError:  # the parent was deleted a moment ago
        raise CompanyError({"parent_id": _("Choose a parent company from the list.")}) from None
    return company_from_row(row)


async def create_company(data: Mapping[str, Any], *, allow_duplicate: bool = False) -> CompanyView:
    """Create a company (owned by the acting user unless ``owner_id`` says otherwise) and audit it.

    Raises:
        PermissionDenied: the principal may not create companies.
        CompanyError: with a message per invalid field.
        DuplicateCompanies: another company has this domain (unless ``allow_duplicate``).
    """
    principal = require(OBJECT, "create", record=False)
    clean, errors = clean_company({"name": "", **data})
    if clean.get("owner_id") is None:
        clean["owner_id"] = principal.user_id
    await _check_links(clean, principal, errors)
    clean["custom"] = await custom_changes(OBJECT, data, None, errors)
    if errors:
        raise CompanyError(errors)
    if not allow_duplicate:
        matches, hidden = await find_duplicate_companies(clean.get("domain", ""))
        if matches or hidden:
            raise DuplicateCompanies(matches, hidden)
    sql = Sql()
    values = {name: dumps(value) if name == "address" else value for name, value in clean.items()}
    placeholders = ", ".join(
        f"{sql.bind(value)}::jsonb" if name in ("address", "custom") else sql.bind(value)
        for name, value in values.items()
    )
    company = await _write(f"INSERT INTO companies ({', '.join(values)}) VALUES ({placeholders})", sql)
    after = {name: value for name, value in snapshot(company).items() if value not in ("", None)}
    await record_change("create", AUDIT_TYPE, company.id, actor_user_id=principal.user_id, after=after)
    return company


async def _locked(company_id: int) -> CompanyView:
    current = await get_company(company_id, lock=True)
    if current is None:
        raise CompanyNotFound(company_id)
    return current


async def update_company(
    company_id: int, changes: Mapping[str, Any], *, expected_version: int | None
) -> CompanyView:
    """Change the given fields if the company is still at ``expected_version`` (None: skip that check).

    Raises:
        CompanyNotFound, PermissionDenied, VersionConflict, CompanyError: as for contacts.
    """
    current = await _locked(company_id)
    principal = require(OBJECT, "edit", owner_id=current.owner_id)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    clean, errors = clean_company({name: value for name, value in changes.items() if name in WRITABLE})
    changed = {name: value for name, value in clean.items() if getattr(current, name) != value}
    await _check_links(
        {k: v for k, v in changed.items() if k in ("parent_id", "owner_id")}, principal, errors, company_id
    )
    custom = await custom_changes(OBJECT, changes, current.custom, errors)
    if errors:
        raise CompanyError(errors)
    if not changed and custom is None:
        return current
    sql = Sql()
    sets = [
        f"{name} = {sql.bind(dumps(value))}::jsonb" if name == "address" else f"{name} = {sql.bind(value)}"
        for name, value in changed.items()
    ]
    if custom is not None:
        sets.append(f"custom = {sql.bind(custom)}::jsonb")
    statement = (
        f"UPDATE companies SET {', '.join(sets)}, version = version + 1, updated_at = now()"
        f" WHERE id = {sql.bind(company_id)}"
    )
    company = await _write(statement, sql)
    await record_change(
        "update", AUDIT_TYPE, company.id, actor_user_id=principal.user_id,
        before=snapshot(current), after=snapshot(company),
    )  # fmt: skip
    return company


async def delete_company(company_id: int, *, expected_version: int | None) -> CompanyView:
    """Delete the company; its contacts and subsidiaries stay, detached (each change audited).

    Raises:
        CompanyNotFound, PermissionDenied, VersionConflict: as for ``update_company``.
    """
    current = await _locked(company_id)
    principal = require(OBJECT, "delete", owner_id=current.owner_id)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    # Detached explicitly (not only by ON DELETE SET NULL) so each contact's version moves on, and a form
    # opened before the deletion cannot put the old company back.
    await fetchrow(Company, _TREE_LOCK)
    await fetchrow(Company, _DETACH_CONTACTS, company_id, principal.user_id)
    await fetchrow(Company, _DETACH_SUBSIDIARIES, company_id, principal.user_id)
    await record_deleted(AUDIT_TYPE, company_id)
    await fetchrow(Company, "DELETE FROM companies WHERE id = $1 RETURNING id", company_id)
    await record_change(
        "delete", AUDIT_TYPE, company_id, actor_user_id=principal.user_id, before=snapshot(current)
    )
    return current
