"""Bulk actions on selected contacts: assign an owner, add or remove a tag, delete.

Everything runs in the caller's one tenant transaction. Each record goes through the single-record services
(``update_contact``/``delete_contact``), so it is locked, checked with ``require``, versioned and audited exactly
as an edit from the form would be. Records the principal may not see are reported as "not_found" and never touched.
"""

from __future__ import annotations

from collections.abc import Sequence

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import require
from sampark.tenants.contacts.fields import clean_tags
from sampark.tenants.contacts.services import OBJECT, delete_contact, get_contact, update_contact
from sampark.tenants.records.bulk import MAX_IDS, BulkError, BulkResult, apply_each, new_owner, selected_ids

__all__ = ["ACTIONS", "MAX_IDS", "BulkError", "BulkResult", "bulk_change"]

ACTIONS = ("assign", "tag", "untag", "delete")


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
    selected = selected_ids(
        ids,
        none=_("Select at least one contact."),
        too_many=_("Select at most %(limit)d contacts at once.", limit=MAX_IDS),
        bad=_("Select contacts from the list."),
    )
    owner = None
    if action == "assign":
        owner = await new_owner(
            OBJECT,
            owner_id,
            missing=_("Choose an owner from the list."),
            refused=_("You cannot give contacts to this person."),
        )
    label = _tag(tag) if action in ("tag", "untag") else ""
    # A contact that cannot take the change (e.g. already at the tag limit) is skipped as "invalid".
    return await apply_each(selected, lambda contact_id: _apply(action, contact_id, owner, label))


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
