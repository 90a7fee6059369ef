"""CSV export of any CRM list: the same filters, sort and permission scope as its page, streamed in keyset batches.

Each object describes its export once (an ``Export``: its table and list query parts, the built-in header and
cells); ``check_export`` and ``export_csv`` do the rest. Rows come from ``list_rows`` exactly as the list page
reads them (``visible_owner_ids`` scoping, hidden fields blanked by the object's row reader), ``BATCH`` at a time,
so memory stays flat whatever the size of the tenant. Every cell is guarded against CSV formula injection, and
the export is audited once at the end, in the same transaction as the reads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.table import Table

from sampark.platform.csv_cells import safe_cell
from sampark.tenants.access.policy import require
from sampark.tenants.audit.services import record_change
from sampark.tenants.customfields.filters import with_custom
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.schemas import FieldDefinition
from sampark.tenants.customfields.values import audit_text
from sampark.tenants.history.people import label, members
from sampark.tenants.records.queries import list_rows
from sampark.tenants.search.listing import ListSpec, Sql, parse_request

BATCH = 1000

OwnerLabel = Callable[[int | None], str]


@dataclass(frozen=True)
class Export:
    """How one object's list becomes CSV.

    Attributes:
        obj: the permission object (``export`` is checked on it) and the custom-field registry name.
        audit_type: the audit log's ``object_type`` for the export entry.
        table, alias, columns, join: the list query's parts (as given to ``list_rows``).
        spec: the object's list spec without custom filters (they are added from the active fields).
        read: a row → the view the principal may see (hidden fields blanked).
        header: the built-in column titles (translated when called).
        cells: a view and a way to name owners → the built-in cells, in ``header`` order.
        custom: whether the object carries custom fields (one column per exported field after the built-ins).
    """

    obj: str
    audit_type: str
    table: type[Table]
    alias: str
    columns: str
    join: Callable[[Sql], str]
    spec: ListSpec
    read: Callable[[Any], Any]
    header: Callable[[], list[str]]
    cells: Callable[[Any, OwnerLabel], Sequence[Any]]
    custom: bool = True

    async def fields(self) -> list[FieldDefinition]:
        return await fields_for(self.obj) if self.custom else []

    async def list_spec(self, fields: Sequence[FieldDefinition] | None = None) -> ListSpec:
        if not self.custom:
            return self.spec
        return with_custom(self.spec, fields if fields is not None else await self.fields(), self.alias)


def exported_fields(
    fields: Sequence[FieldDefinition], columns: Sequence[str] | None
) -> list[FieldDefinition]:
    """The custom fields an export carries: those among the list's chosen ``columns`` (None: every one)."""
    if columns is None:
        return list(fields)
    chosen = [name for name in columns if name.startswith("cf.")]
    by_column = {field.column: field for field in fields}
    return [by_column[name] for name in chosen if name in by_column]


async def check_export(export: Export, sort: str | None, filters: Mapping[str, str]) -> None:
    """Refuse before anything is streamed: PermissionDenied without export, ListError for bad parameters."""
    require(export.obj, "export", record=False)
    spec = await export.list_spec()
    request = parse_request(spec, filters, sort, None)
    for name, value in request.filters.items():
        spec.filters[name](Sql(), value)  # a bad value raises here, not halfway through the file


async def export_csv(
    export: Export,
    *,
    sort: str | None,
    filters: Mapping[str, str],
    columns: Sequence[str] | None = None,
    view_id: int | None = None,
) -> AsyncIterator[str]:
    """CSV text of every record the principal may see that matches ``filters``; audited once at the end.

    ``columns`` are the list's chosen columns: the custom fields among them follow the built-in columns (None:
    every active field). Must run inside a tenant context as the exporting principal.

    Raises:
        PermissionDenied: the role may not export this object.
        ListError: unknown filter or sort field, or a bad filter value.
    """
    await check_export(export, sort, filters)
    people = await members()
    fields = await export.fields()
    spec, shown = await export.list_spec(fields), exported_fields(fields, columns)

    def owner(owner_id: int | None) -> str:
        return label(people, owner_id) if owner_id else ""

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*export.header(), *(safe_cell(field.title()) for field in shown)])
    count, cursor = 0, None
    while True:
        page = await list_rows(
            export.table, spec, obj=export.obj, alias=export.alias, columns=export.columns, join=export.join,
            limit=BATCH, max_page_size=BATCH, cursor=cursor, sort=sort, filters=filters,
        )  # fmt: skip
        for record in page.rows:
            view = export.read(record)
            custom = getattr(view, "custom", {})
            # Custom values as plain language-neutral text (choice keys, ISO dates), like the audit log.
            cells = [*export.cells(view, owner), *(audit_text(custom.get(field.key)) for field in shown)]
            writer.writerow([safe_cell(cell) for cell in cells])
        count += len(page.rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        cursor = page.next_cursor
        if cursor is None:
            break
    principal = require(export.obj, "export", record=False)
    after: dict[str, Any] = {"filters": dict(filters), "sort": page.sort, "rows": count}
    if view_id is not None:
        after["view"] = view_id
    await record_change("export", export.audit_type, None, actor_user_id=principal.user_id, after=after)
