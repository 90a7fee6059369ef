"""CSV export of the contacts list: the same filters, sort and permission scope, streamed in keyset batches.

Rows come from ``list_rows`` exactly as the list page reads them (``visible_owner_ids`` scoping, hidden fields
blanked by ``masked``), 1000 at a time, so memory stays flat whatever the size of the tenant.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import require
from sampark.tenants.audit.services import record_change
from sampark.tenants.contacts.queries import COLUMNS, OBJECT, company_join, list_spec, masked
from sampark.tenants.contacts.schemas import ContactView, contact_from_row
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.schemas import FieldDefinition
from sampark.tenants.customfields.values import audit_text
from sampark.tenants.history.people import label, members
from sampark.tenants.records.queries import list_rows
from sampark.tenants.search.listing import Sql, parse_request

BATCH = 1000
# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def header(fields: Sequence[FieldDefinition] = ()) -> list[str]:
    return [
        _("ID"), _("First name"), _("Last name"), _("Primary e-mail"), _("All e-mails"), _("Primary phone"),
        _("Company"), _("Owner"), _("Lifecycle stage"), _("Tags"), _("Created"), _("Updated"),
        *(safe_cell(field.title()) for field in fields),
    ]  # fmt: skip


def safe_cell(value: Any) -> str:
    """``value`` as text a spreadsheet shows instead of evaluating (a leading quote before formula starts)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def row(contact: ContactView, owner: str, fields: Sequence[FieldDefinition] = ()) -> list[str]:
    cells = (
        contact.id, contact.first_name, contact.last_name, contact.email, "; ".join(contact.emails),
        contact.phone, contact.company_name or "", owner, contact.lifecycle_stage, ", ".join(contact.tags),
        contact.created_at.isoformat(), contact.updated_at.isoformat(),
        # One column per active custom field, as plain language-neutral text (choice keys, ISO dates).
        *(audit_text(contact.custom.get(field.key)) for field in fields),
    )  # fmt: skip
    return [safe_cell(cell) for cell in cells]


async def check_export(sort: str | None, filters: Mapping[str, str]) -> None:
    """Refuse before anything is streamed: PermissionDenied without export, ListError for bad parameters."""
    require(OBJECT, "export", record=False)
    spec = await list_spec()
    request = parse_request(spec, filters, sort, None)
    for name, value in request.filters.items():
        spec.filters[name](Sql(), value)  # a bad value raises here, not halfway through the file


async def export_csv(*, sort: str | None, filters: Mapping[str, str]) -> AsyncIterator[str]:
    """CSV text of every contact the principal may see that matches ``filters``; audited once at the end.

    Must run inside a tenant context as the exporting principal (the caller's transaction).

    Raises:
        PermissionDenied: the role may not export contacts.
        ListError: unknown filter or sort field, or a bad filter value.
    """
    await check_export(sort, filters)
    people = await members()
    spec, fields = await list_spec(), await fields_for(OBJECT)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header(fields))
    count, cursor = 0, None
    while True:
        page = await list_rows(
            Contact,
            spec,
            obj=OBJECT,
            alias="c",
            columns=COLUMNS,
            join=company_join,
            limit=BATCH,
            max_page_size=BATCH,
            cursor=cursor,
            sort=sort,
            filters=filters,
        )
        for record in page.rows:
            contact = masked(contact_from_row(record))
            owner = label(people, contact.owner_id) if contact.owner_id else ""
            writer.writerow(row(contact, owner, fields))
        count += len(page.rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        cursor = page.next_cursor
        if cursor is None:
            break
    principal = require(OBJECT, "export", record=False)
    await record_change(
        "export",
        "contact",
        None,
        actor_user_id=principal.user_id,
        after={"filters": dict(filters), "sort": page.sort, "rows": count},
    )
