"""Bulk actions on selected contacts: assign an owner, add or remove a tag, delete.

Everything runs in the caller's one tenant transaction. Each record goes through the single-record services
(``update_contact``/``delete_contact``), so it is locked, checked with ``require``, versioned and audited exactly
as an edit from the form would be. Records the principal may not see are reported as "not_found" and never touched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sampark.platform.i18n import gettext as _
from sampark.tenants.contacts.services import OBJECT, delete_contact, get_contact, update_contact
from sampark.tenants.records.bulk import (
    MAX_IDS,
    BulkError,
    BulkResult,
    bulk_tag,
    change_each,
    delete_each,
    new_owner,
    selection,
    tag_changes,
)

__all__ = ["ACTIONS", "MAX_IDS", "BulkError", "BulkResult", "bulk_change"]

ACTIONS = ("assign", "tag", "untag", "delete")


async def bulk_change(
    action: str,
    ids: Sequence[int],
    *,
    owner_id: int | None = None,
    tag: str | None = None,
    versions: Mapping[int, int] | None = None,
) -> BulkResult:
    """Apply ``action`` to each contact in ``ids`` the principal may change; report the rest as skipped.

    ``versions`` (id → version the caller saw) turns a contact changed since into a "conflict" skip.

    Raises:
        BulkError: unknown action, no or more than ``MAX_IDS`` ids, a missing/invalid owner or tag.
    """
    selected = selection(
        {
            "none": _("Select at least one contact."),
            "too_many": _("Select at most %(limit)d contacts at once.", limit=MAX_IDS),
            "bad": _("Select contacts from the list."),
        },
        ids, action, ACTIONS,
    )  # fmt: skip
    if action == "delete":
        return await delete_each(selected, delete_contact, versions=versions)
    if action == "assign":
        owner = await new_owner(
            OBJECT,
            owner_id,
            missing=_("Choose an owner from the list."),
            refused=_("You cannot give contacts to this person."),
        )
        return await change_each(
            OBJECT, selected, get_contact, lambda _c: {"owner_id": owner}, update_contact, versions=versions
        )
    label = bulk_tag(tag)
    # A contact that cannot take the change (e.g. already at the tag limit) is skipped as "invalid".
    return await change_each(
        OBJECT, selected, get_contact, lambda contact: tag_changes(action, contact.tags, label), update_contact,
        versions=versions,
    )  # fmt: skip
