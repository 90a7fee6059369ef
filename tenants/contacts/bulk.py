"""Bulk actions on selected contacts: assign an owner, add or remove a tag, delete.

Each record goes through the single-record services (``update_contact``/``delete_contact``), so it is locked,
checked with ``require``, versioned and audited exactly as an edit from the form would be (see
``tenants/records/bulk.py``). Records the principal may not see are reported as "not_found" and never touched.
"""

from __future__ import annotations

from sampark.platform.i18n import gettext as _
from sampark.tenants.contacts.services import OBJECT, delete_contact, get_contact, update_contact
from sampark.tenants.records.bulk import MAX_IDS, BulkTarget


def _messages() -> dict[str, str]:
    return {
        "none": _("Select at least one contact."),
        "too_many": _("Select at most %(limit)d contacts at once.", limit=MAX_IDS),
        "bad": _("Select contacts from the list."),
        "refused": _("You cannot give contacts to this person."),
    }


CONTACT_BULK = BulkTarget(
    OBJECT, ("assign", "tag", "untag", "delete"), get_contact, update_contact, delete_contact, _messages
)
