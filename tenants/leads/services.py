"""Lead rules: scoped reads (in ``queries``, re-exported), checked, versioned and audited writes, duplicate
warnings against leads and contacts, and the ``lead`` link type. A converted lead is read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sampark.platform.db.sql import fetchrow
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.policy import Principal, require
from sampark.tenants.access.services import Transferable, register_transferable
from sampark.tenants.audit.services import record_change
from sampark.tenants.contacts.fields import default_phone_region
from sampark.tenants.contacts.queries import find_duplicates as find_contact_duplicates
from sampark.tenants.customfields.hooks import audit_values, custom_changes
from sampark.tenants.leads.queries import (
    COLUMNS,
    MAX_PAGE_SIZE,
    OBJECT,
    count_leads,
    find_lead_duplicates,
    get_lead,
    list_leads,
    masked,
)
from sampark.tenants.leads.schemas import (
    DuplicateLeads,
    LeadConverted,
    LeadError,
    LeadNotFound,
    LeadPage,
    LeadView,
    VersionConflict,
    lead_from_row,
)
from sampark.tenants.leads.tables import Lead
from sampark.tenants.leads.validation import WRITABLE, check_whole, clean_lead
from sampark.tenants.records.columns import column_values, current_value
from sampark.tenants.records.links import LinkType, record_deleted, register_link_type
from sampark.tenants.records.owners import check_owner
from sampark.tenants.search.listing import Sql

__all__ = [
    "MAX_PAGE_SIZE", "DuplicateLeads", "LeadConverted", "LeadError", "LeadNotFound", "LeadPage", "LeadView",
    "VersionConflict", "count_leads", "create_lead", "delete_lead", "get_lead", "list_leads", "update_lead",
]  # fmt: skip

AUDIT_TYPE = "lead"
_JSON_COLUMNS = frozenset({"emails", "phones", "tags"})
_JSONB_CASTS = _JSON_COLUMNS | {"custom"}  # ``custom`` arrives as JSON text already (customfields hooks)
_HIDDEN_WRITES = {"email": ("emails",), "emails": ("emails",), "phone": ("phones",), "phones": ("phones",)}

# Activities, tasks and files can hang on leads; the label is the name, or the company for a nameless lead.
# A converted lead is read-only: its links moved to the contact, and nothing new may be added to it.
LEAD_LINK: Final = register_link_type(
    LinkType(
        "lead", OBJECT, "leads", "coalesce(nullif(btrim(r.first_name || ' ' || r.last_name), ''), r.company_name)",
        "/leads/{id}", read_only_sql="r.status = 'converted'",
        read_only_reason=lazy_gettext(
            "This lead was converted and is read-only: add activities, tasks and files to its contact."
        ),
    )
)  # fmt: skip


def snapshot(view: LeadView) -> dict[str, Any]:
    """The audited form of a lead: plain values, lists as readable text."""
    return {
        "first_name": view.first_name,
        "last_name": view.last_name,
        "company_name": view.company_name,
        "title": view.title,
        "emails": ", ".join(view.emails),
        "phones": ", ".join(f"{p.number} ({p.label})" if p.label else p.number for p in view.phones),
        "website": view.website,
        "source": view.source,
        "status": view.status,
        "disqualify_reason": view.disqualify_reason,
        "owner_id": view.owner_id,
        "notes": view.notes,
        "tags": ", ".join(view.tags),
        "converted_contact_id": view.converted_contact_id,
        "converted_company_id": view.converted_company_id,
        "converted_deal_id": view.converted_deal_id,
        **audit_values(view.custom),
    }


def _without_hidden(clean: dict[str, Any], principal: Principal) -> dict[str, Any]:
    protected = {field for name in principal.hidden(OBJECT) for field in _HIDDEN_WRITES.get(name, (name,))}
    return {name: value for name, value in clean.items() if name not in protected}


async def write(statement: str, sql: Sql) -> LeadView:
    """Run an INSERT/UPDATE ... RETURNING and read the row back as a view (one round trip)."""
    row = await fetchrow(Lead, f"WITH l AS ({statement} RETURNING *) SELECT {COLUMNS} FROM l", *sql.params)
    return masked(lead_from_row(row))


def update_statement(lead_id: int, values: Mapping[str, Any], sql: Sql, extra: str = "") -> str:
    """``UPDATE leads SET ...`` for ``values`` (column -> bound value), bumping the version."""
    sets = [
        f"{name} = {sql.bind(value)}::jsonb" if name in _JSONB_CASTS else f"{name} = {sql.bind(value)}"
        for name, value in values.items()
    ]
    return (
        f"UPDATE leads SET {''.join(f'{item}, ' for item in sets)}{extra}version = version + 1,"
        f" updated_at = now() WHERE id = {sql.bind(lead_id)}"
    )


async def create_lead(
    data: Mapping[str, Any], *, allow_duplicate: bool = False, phone_region: str | None = None
) -> LeadView:
    """Create a lead (owned by the acting user unless ``owner_id`` says otherwise, status "new") and audit it.

    Raises:
        PermissionDenied: the principal may not create leads.
        LeadError: with a message per invalid field.
        DuplicateLeads: an open lead or a contact has one of the e-mails or phones (unless ``allow_duplicate``).
    """
    principal = require(OBJECT, "create", record=False)
    region = phone_region or default_phone_region(current_tenant().region)
    clean, errors = clean_lead({"status": "new", **data}, phone_region=region)
    clean = _without_hidden(clean, principal)
    if clean.get("status") != "unqualified":
        clean["disqualify_reason"] = ""
    check_whole(clean, errors)
    if clean.get("owner_id") is None:
        clean["owner_id"] = principal.user_id
    await check_owner(OBJECT, clean, principal, errors, _refused())
    custom = await custom_changes(OBJECT, data, None, errors)
    if errors:
        raise LeadError(errors)
    if not allow_duplicate:
        await _check_duplicates(clean)
    sql = Sql()
    values = {**column_values(clean, _JSON_COLUMNS), "custom": custom}
    placeholders = ", ".join(
        f"{sql.bind(value)}::jsonb" if name in _JSONB_CASTS else sql.bind(value)
        for name, value in values.items()
    )
    lead = await write(f"INSERT INTO leads ({', '.join(values)}) VALUES ({placeholders})", sql)
    after = {name: value for name, value in snapshot(lead).items() if value not in ("", None)}
    await record_change("create", AUDIT_TYPE, lead.id, actor_user_id=principal.user_id, after=after)
    return lead


def _refused() -> str:
    return _("You cannot give leads to this person.")


async def _check_duplicates(clean: Mapping[str, Any]) -> None:
    emails = list(clean.get("emails", []))
    numbers = [phone["number"] for phone in clean.get("phones", [])]
    leads, hidden_leads = await find_lead_duplicates(emails, numbers)
    # Contacts the principal may not view at all count as hidden matches (find_duplicates folds that in).
    contacts, hidden_contacts = await find_contact_duplicates(emails, numbers)
    if leads or contacts or hidden_leads or hidden_contacts:
        raise DuplicateLeads(leads, contacts, hidden_leads + hidden_contacts)


async def locked(lead_id: int) -> LeadView:
    """The lead, row-locked until the transaction ends, if the principal may see it."""
    current = await get_lead(lead_id, lock=True)
    if current is None:
        raise LeadNotFound(lead_id)
    return current


async def update_lead(
    lead_id: int, changes: Mapping[str, Any], *, expected_version: int | None, phone_region: str | None = None
) -> LeadView:
    """Change the given fields if the lead is still at ``expected_version`` (None: skip that check).

    Raises:
        LeadNotFound: no such lead, or the principal may not see it.
        PermissionDenied: the principal may see but not edit it.
        VersionConflict: someone changed it since ``expected_version``.
        LeadConverted: the lead was converted (read-only).
        LeadError: with a message per invalid field.
    """
    current = await locked(lead_id)
    principal = require(OBJECT, "edit", owner_id=current.owner_id)
    if current.converted:  # said first: a stale form for a converted lead has nothing left to retry
        raise LeadConverted(current)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    region = phone_region or default_phone_region(current_tenant().region)
    allowed = {name: value for name, value in changes.items() if name in (*WRITABLE, "email", "phone")}
    clean, errors = clean_lead(allowed, phone_region=region)
    clean = _without_hidden(clean, principal)
    if clean.get("status", current.status) != "unqualified":
        clean["disqualify_reason"] = ""
    changed = {name: value for name, value in clean.items() if current_value(current, name) != value}
    check_whole({**snapshot(current), **clean}, errors)
    await check_owner(
        OBJECT, {k: v for k, v in changed.items() if k == "owner_id"}, principal, errors, _refused()
    )
    custom = await custom_changes(OBJECT, changes, current.custom, errors)
    if errors:
        raise LeadError(errors)
    if not changed and custom is None:
        return current
    values = column_values(changed, _JSON_COLUMNS)
    if custom is not None:
        values["custom"] = custom
    sql = Sql()
    lead = await write(update_statement(lead_id, values, sql), sql)
    await record_change(
        "update", AUDIT_TYPE, lead.id, actor_user_id=principal.user_id, before=snapshot(current),
        after=snapshot(lead),
    )  # fmt: skip
    return lead


async def delete_lead(lead_id: int, *, expected_version: int | None) -> LeadView:
    """Delete the lead if it is still at ``expected_version`` (None: skip that check); audit what it was.

    A converted lead may be deleted too: what the conversion created stays.

    Raises:
        LeadNotFound, PermissionDenied, VersionConflict: as for ``update_lead``.
    """
    current = await locked(lead_id)
    principal = require(OBJECT, "delete", owner_id=current.owner_id)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    await record_deleted(AUDIT_TYPE, lead_id)
    await fetchrow(Lead, "DELETE FROM leads WHERE id = $1 RETURNING id", lead_id)
    await record_change(
        "delete", AUDIT_TYPE, lead_id, actor_user_id=principal.user_id, before=snapshot(current)
    )
    return current


# A member who leaves hands over their leads with their other records.
register_transferable(Transferable("leads", "lead", Lead))
