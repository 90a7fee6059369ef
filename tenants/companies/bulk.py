"""Bulk actions on selected companies: assign an owner or delete (companies have no tags), each company through
the single-company services (locked, checked, versioned and audited as a single edit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sampark.platform.i18n import gettext as _
from sampark.tenants.companies.services import OBJECT, delete_company, get_company, update_company
from sampark.tenants.records.bulk import (
    MAX_IDS,
    BulkError,
    BulkResult,
    change_each,
    delete_each,
    new_owner,
    selection,
)

__all__ = ["ACTIONS", "MAX_IDS", "BulkError", "BulkResult", "bulk_change"]

ACTIONS = ("assign", "delete")


async def bulk_change(
    action: str, ids: Sequence[int], *, owner_id: int | None = None, versions: Mapping[int, int] | None = None
) -> BulkResult:
    """Apply ``action`` to each company in ``ids`` the principal may change; report the rest as skipped.

    Deleting a company detaches its contacts and subsidiaries, as a single delete does.

    Raises:
        BulkError: unknown action, no or more than ``MAX_IDS`` ids, a missing or refused owner.
    """
    selected = selection(
        {
            "none": _("Select at least one company."),
            "too_many": _("Select at most %(limit)d companies at once.", limit=MAX_IDS),
            "bad": _("Select companies from the list."),
        },
        ids, action, ACTIONS,
    )  # fmt: skip
    if action == "delete":
        return await delete_each(selected, delete_company, versions=versions)
    owner = await new_owner(
        OBJECT,
        owner_id,
        missing=_("Choose an owner from the list."),
        refused=_("You cannot give companies to this person."),
    )
    return await change_each(
        OBJECT, selected, get_company, lambda _company: {"owner_id": owner}, update_company, versions=versions
    )
