"""Consent rules: recording a grant or withdrawal, the contact rule (``may_contact``) and a contact's history
(following deleted and merged contacts is in ``links.py``).

Every read needs ``consent.view`` and every change ``consent.edit``, scoped by the contact's owner; a contact
the principal may not see answers "not found" first, so consent cannot be used to probe for contacts. Each
change appends a ``consent_events`` row and a tenant audit entry (object ``consent``, id = the contact) in the
transaction that makes it. Which answers count comes from the tenant's region rules
(``effective_region_settings``), never from its region code.
"""

from __future__ import annotations

from typing import Any

from sampark.platform.config.settings import get_settings
from sampark.platform.db.sql import fetch, fetchrow
from sampark.platform.i18n import choose_locale
from sampark.platform.i18n import gettext as _
from sampark.platform.regions import ConsentModel
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.audit.services import record_change
from sampark.tenants.consent.confirmation import CONFIRMED_PURPOSES, request_confirmation
from sampark.tenants.consent.schemas import (
    MAX_EVIDENCE,
    OBJECT,
    PURPOSES,
    RECORDABLE,
    SOURCES,
    ConsentConflict,
    ConsentError,
    ConsentNotFound,
    ConsentView,
    EventPage,
    event_from_row,
)
from sampark.tenants.consent.tables import Consent
from sampark.tenants.contacts.queries import get_contact
from sampark.tenants.contacts.schemas import ContactView
from sampark.tenants.history.services import merged_ids
from sampark.tenants.settings.services import effective_region_settings

__all__ = ["contact_consents", "contact_history", "is_allowed", "may_contact", "record_consent"]

COLUMNS = "contact_id, purpose, status, lawful_basis, source, evidence, recorded_by, recorded_at, version"
ROWS = f"SELECT id, {COLUMNS} FROM consents WHERE contact_id = $1"
# Consent changes to one contact run one after another (the first recording of a purpose has no row to lock).
_LOCK_CONTACT = "SELECT id FROM contacts WHERE id = $1 FOR NO KEY UPDATE"
_UPSERT = f"""
INSERT INTO consents ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, now(), 1)
ON CONFLICT (contact_id, purpose) DO UPDATE SET status = EXCLUDED.status, lawful_basis = EXCLUDED.lawful_basis,
    source = EXCLUDED.source, evidence = EXCLUDED.evidence, recorded_by = EXCLUDED.recorded_by,
    recorded_at = EXCLUDED.recorded_at, version = consents.version + 1
RETURNING {COLUMNS}
"""
EVENT = """
INSERT INTO consent_events (contact_id, purpose, action, status, lawful_basis, source, evidence, actor_user_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
"""
_HISTORY = """
SELECT id, contact_id, purpose, action, status, lawful_basis, source, evidence, actor_user_id, at
FROM consent_events WHERE contact_id = ANY($1::bigint[]) AND ($2::bigint IS NULL OR id < $2)
ORDER BY id DESC LIMIT $3
"""


def is_allowed(status: str, model: ConsentModel) -> bool:
    """The contact rule: opt-out counts anything but a withdrawal (no record included); opt-in only a grant."""
    if model is ConsentModel.OPT_OUT:
        return status != "withdrawn"
    return status == "granted"


def consent_view(row: Any, model: ConsentModel) -> ConsentView:
    return ConsentView(
        contact_id=row["contact_id"], purpose=row["purpose"], status=row["status"],
        lawful_basis=row["lawful_basis"], source=row["source"], evidence=row["evidence"],
        recorded_by=row["recorded_by"], recorded_at=row["recorded_at"], version=row["version"],
        allowed=is_allowed(row["status"], model),
    )  # fmt: skip


def _unrecorded(contact_id: int, purpose: str, model: ConsentModel) -> ConsentView:
    return ConsentView(contact_id, purpose, "", "", "", "", None, None, 0, is_allowed("", model))


def snapshot(view: ConsentView | None, purpose: str) -> dict[str, Any]:
    """The audited form of one purpose's consent (keys name the purpose, so one entry reads on its own)."""
    if view is None or not view.recorded:
        return {}
    return {
        f"{purpose}.status": view.status,
        f"{purpose}.lawful_basis": view.lawful_basis,
        f"{purpose}.source": view.source,
        f"{purpose}.evidence": view.evidence,
        f"{purpose}.version": view.version,
    }


async def _visible_contact(contact_id: int, action: str) -> ContactView:
    contact = await get_contact(contact_id) if 0 < contact_id < 2**63 else None
    if contact is None:
        raise ConsentNotFound(contact_id)
    require(OBJECT, action, owner_id=contact.owner_id)
    return contact


async def _current(contact_id: int, model: ConsentModel) -> dict[str, ConsentView]:
    return {row["purpose"]: consent_view(row, model) for row in await fetch(Consent, ROWS, contact_id)}


async def contact_consents(contact_id: int) -> list[ConsentView]:
    """The contact's consent for every purpose, in the allowlist's order (unrecorded ones included).

    Raises:
        ConsentNotFound: no such contact, or the principal may not see it.
        PermissionDenied: the principal may not view this contact's consent.
    """
    await _visible_contact(contact_id, "view")
    model = (await effective_region_settings()).marketing_consent
    current = await _current(contact_id, model)
    return [current.get(purpose) or _unrecorded(contact_id, purpose, model) for purpose in PURPOSES]


async def may_contact(contact_id: int, purpose: str) -> bool:
    """May the contact be contacted for ``purpose``, under the tenant's consent model (see ``is_allowed``)?

    Raises:
        ConsentNotFound, PermissionDenied: as for ``contact_consents``.
        ValueError: ``purpose`` is not in the allowlist.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    await _visible_contact(contact_id, "view")
    model = (await effective_region_settings()).marketing_consent
    row = await fetchrow(Consent, ROWS + " AND purpose = $2", contact_id, purpose)
    return is_allowed(row["status"] if row else "", model)


def _checked(
    purpose: str, action: str, lawful_basis: str, source: str, evidence: str, bases: tuple[str, ...]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if purpose not in PURPOSES:
        errors["purpose"] = _("Choose a purpose from the list.")
    if action not in RECORDABLE:
        errors["action"] = _("Choose whether consent was granted or withdrawn.")
    if source not in SOURCES:
        errors["source"] = _("Choose where the answer came from.")
    if lawful_basis and lawful_basis not in bases:
        errors["lawful_basis"] = _("Choose a lawful basis this workspace allows.")
    elif not lawful_basis and action == "grant":
        errors["lawful_basis"] = _("Choose the lawful basis for this consent.")
    if len(evidence) > MAX_EVIDENCE:
        errors["evidence"] = _("Keep the evidence to %(count)s characters or fewer.", count=MAX_EVIDENCE)
    elif not evidence and action == "grant":
        errors["evidence"] = _("Say what the contact agreed to and how, so the consent can be proven.")
    return errors


async def record_consent(
    contact_id: int,
    purpose: str,
    action: str,
    *,
    lawful_basis: str = "",
    source: str,
    evidence: str = "",
    expected_version: int | None,
) -> ConsentView:
    """Record that the contact granted or withdrew consent for ``purpose``; return the state now.

    A withdrawal without a lawful basis keeps the one recorded before. With the tenant's ``double_opt_in`` on,
    a new e-mail marketing grant is recorded as ``pending`` and a confirmation mail is queued
    (confirmation.py). ``expected_version`` is the purpose's version the caller read (0: nothing recorded yet;
    None: not checked).

    Raises:
        ConsentNotFound: no such contact, or the principal may not see it.
        PermissionDenied: the principal may not edit this contact's consent.
        ConsentError: a field is missing or not allowed (messages per field).
        ConsentConflict: the purpose's consent changed since ``expected_version``.
    """
    contact = await _visible_contact(contact_id, "edit")
    settings = await effective_region_settings()
    lawful_basis, evidence = lawful_basis.strip(), evidence.strip()
    errors = _checked(purpose, action, lawful_basis, source, evidence, settings.lawful_bases)
    if errors:
        raise ConsentError(errors)
    await fetch(Consent, _LOCK_CONTACT, contact.id)
    before = (await _current(contact.id, settings.marketing_consent)).get(purpose)
    if expected_version is not None and expected_version != (before.version if before else 0):
        raise ConsentConflict(before or _unrecorded(contact.id, purpose, settings.marketing_consent))
    if not lawful_basis and before is not None:
        lawful_basis = before.lawful_basis
    status = "granted" if action == "grant" else "withdrawn"
    # Double opt-in: a new grant of e-mail marketing waits for the contact to confirm it by e-mail; a grant
    # already confirmed stays granted.
    confirming = (
        status == "granted" and settings.double_opt_in and purpose in CONFIRMED_PURPOSES
        and (before is None or before.status != "granted")
    )  # fmt: skip
    if confirming:
        if not contact.email:
            raise ConsentError(
                {"purpose": _("Add an e-mail address to the contact first: they confirm by e-mail.")}
            )
        status = "pending"
    user_id = current_principal().user_id
    row = await fetchrow(
        Consent, _UPSERT, contact.id, purpose, status, lawful_basis, source, evidence, user_id
    )
    await fetchrow(
        Consent, EVENT, contact.id, purpose, action, status, lawful_basis, source, evidence, user_id
    )
    after = consent_view(row, settings.marketing_consent)
    if confirming:
        locale = choose_locale(contact.language, settings.default_locale)
        await request_confirmation(get_settings(), contact.id, purpose, contact.email, locale)
    await record_change(
        "update" if before else "create", OBJECT, contact.id, actor_user_id=user_id,
        before=snapshot(before, purpose), after=snapshot(after, purpose),
    )  # fmt: skip
    return after


async def contact_history(contact_id: int, *, before: int | None = None, limit: int = 10) -> EventPage:
    """The contact's consent events, newest first, those of contacts merged into it included.

    Raises:
        ConsentNotFound, PermissionDenied: as for ``contact_consents``.
    """
    await _visible_contact(contact_id, "view")
    ids = await merged_ids("contact", contact_id)
    rows = await fetch(Consent, _HISTORY, ids, before, limit + 1)
    items = [event_from_row(row) for row in rows[:limit]]
    return EventPage(items, items[-1].id if len(rows) > limit else None)
