"""Bulk actions on selected contacts: assign an owner, add or remove a tag, delete.

Everything runs in the caller's one tenant transaction. Each record goes through the single-record services
(``update_contact``/``delete_contact``), so it is locked, checked with ``require``, versioned and audited exactly
as an edit from the form would be. Records the principal may not see are reported as "not_found" and never touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, current_principal, require
from sampark.tenants.contacts.fields import clean_tags
from sampark.tenants.contacts.schemas import ContactError, ContactNotFound
from sampark.tenants.contacts.services import OBJECT, delete_contact, get_contact, update_contact
from sampark.tenants.records.owners import check_owner

ACTIONS = ("assign", "tag", "untag", "delete")
MAX_IDS = 500


class BulkError(ValueError):
    """The request itself is wrong (nothing was changed): a stable ``code`` and a translated message."""

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    # (id, reason): reason is "not_found", "forbidden", "unchanged" or "invalid".
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _ids(ids: Sequence[int]) -> list[int]:
    unique = sorted(set(ids))  # one lock order for every request, so two bulk edits cannot deadlock
    if not unique:
        raise BulkError("no_selection", _("Select at least one contact."), "ids")
    if len(unique) > MAX_IDS:
        raise BulkError("too_many", _("Select at most %(limit)d contacts at once.", limit=MAX_IDS), "ids")
    if any(not 0 < value < 2**63 for value in unique):
        raise BulkError("bad_request", _("Select contacts from the list."), "ids")
    return unique


async def _owner(owner_id: int | None) -> int:
    if owner_id is None:
        raise BulkError("bad_request", _("Choose an owner from the list."), "owner_id")
    errors: dict[str, str] = {}
    await check_owner(
        OBJECT,
        {"owner_id": owner_id},
        current_principal(),
        errors,
        _("You cannot give contacts to this person."),
    )
    if errors:
        raise BulkError("invalid_owner", errors["owner_id"], "owner_id")
    return owner_id


def _tag(tag: str | None) -> str:
    errors: dict[str, str] = {}
    tags = clean_tags([tag or ""], errors)
    if errors:
        raise BulkError("invalid_tag", errors["tags"], "tag")
    if not tags:
        raise BulkError("bad_request", _("Enter a tag."), "tag")
    return tags[0]


async def bulk_change(
    action: str, ids: Sequence[int], *, owner_id: int | None = None, tag: str | None = None
) -> BulkResult:
    """Apply ``action`` to each contact in ``ids`` the principal may change; report the rest as skipped.

    Raises:
        BulkError: unknown action, no or more than ``MAX_IDS`` ids, a missing/invalid owner or tag.
    """
    if action not in ACTIONS:
        raise BulkError("bad_request", _("Choose an action from the list."), "action")
    selected = _ids(ids)
    new_owner = await _owner(owner_id) if action == "assign" else None
    label = _tag(tag) if action in ("tag", "untag") else ""
    result = BulkResult()
    for contact_id in selected:
        try:
            reason = await _apply(action, contact_id, new_owner, label)
        except ContactNotFound:
            reason = "not_found"
        except PermissionDenied:
            reason = "forbidden"
        except ContactError:
            reason = "invalid"  # e.g. the contact already has the maximum number of tags
        if reason:
            result.skipped.append((contact_id, reason))
        else:
            result.changed.append(contact_id)
    return result


async def _apply(action: str, contact_id: int, owner_id: int | None, tag: str) -> str:
    """Change one contact; "" when changed, else why not (services raise for not found and forbidden)."""
    if action == "delete":
        await delete_contact(contact_id, expected_version=None)
        return ""
    current = await get_contact(contact_id)
    if current is None:
        return "not_found"
    require(OBJECT, "edit", owner_id=current.owner_id)
    if action == "assign":
        changes: dict[str, object] = {"owner_id": owner_id}
    elif action == "tag":
        changes = {"tags": [*current.tags, tag]} if tag not in current.tags else {}
    else:
        changes = {"tags": [t for t in current.tags if t != tag]} if tag in current.tags else {}
    if not changes:
        return "unchanged"
    updated = await update_contact(contact_id, changes, expected_version=None)
    return "" if updated.version != current.version else "unchanged"
