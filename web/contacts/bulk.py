"""Bulk actions on selected contacts (assign, tag, untag, delete): the list page's form (``POST /contacts/bulk``)
and its JSON twin (``POST /api/v1/contacts/bulk``), built by ``web/records/bulk.py`` from the rules in
``tenants/contacts/bulk.py``."""

from __future__ import annotations

from sampark.platform.i18n import gettext as _
from sampark.tenants.contacts.bulk import CONTACT_BULK
from sampark.web.records.bulk import BulkPage, bulk_controllers

ContactBulkPagesController, ContactBulkApiController = bulk_controllers(
    BulkPage(
        "contacts",
        lambda: _("Contacts"),
        lambda: _("Delete the selected contacts?"),
        lambda: _("Contacts selected: %(count)d"),
        lambda count: _("Contacts changed: %(count)d.", count=count),
        "Apply `action` (assign with `owner_id`, tag/untag with `tag`, delete) to up to 500 contacts in one"
        " transaction; contacts the caller may not change are listed in `skipped` with a reason. 400 for a bad"
        " action or too many ids, 422 for a refused owner or tag.",
    ),
    CONTACT_BULK,
)
