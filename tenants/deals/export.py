"""CSV export of the deals list (see ``tenants/records/export.py``), with each deal's visible contacts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sampark.platform.db.sql import loads
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, visible_owner_ids
from sampark.tenants.deals.queries import COLUMNS, LIST_SPEC, OBJECT, joins, masked
from sampark.tenants.deals.schemas import DealView, LinkedContact, deal_from_row
from sampark.tenants.deals.tables import Deal
from sampark.tenants.records.export import Export, OwnerLabel
from sampark.tenants.search.listing import Sql

# The list page does not load contacts; the export aggregates them per deal, limited like every contact read.
_CONTACTS = (
    "LEFT JOIN LATERAL (SELECT jsonb_agg(jsonb_build_array(c.id, btrim(c.first_name || ' ' || c.last_name))"
    " ORDER BY lower(c.first_name), c.id) AS contact_list FROM deal_contacts dc"
    " JOIN contacts c ON c.id = dc.contact_id WHERE dc.deal_id = d.id AND {visible}) dcl ON true"
)


def export_joins(sql: Sql) -> str:
    try:
        owners = visible_owner_ids("contacts")
    except PermissionDenied:
        visible = "false"
    else:
        visible = "true" if owners is None else f"c.owner_id = ANY({sql.bind(sorted(owners))}::bigint[])"
    return f"{joins(sql)} {_CONTACTS.format(visible=visible)}"


def read(row: Mapping[str, Any]) -> DealView:
    contacts = tuple(LinkedContact(id_, name) for id_, name in loads(row["contact_list"], None) or ())
    return masked(deal_from_row(row, contacts))


def header() -> list[str]:
    return [
        _("ID"), _("Name"), _("Amount"), _("Currency"), _("Pipeline"), _("Stage"), _("Status"),
        _("Expected close date"), _("Owner"), _("Company"), _("Contacts"), _("Created"), _("Updated"),
    ]  # fmt: skip


def cells(deal: DealView, owner: OwnerLabel) -> Sequence[Any]:
    close = deal.expected_close_date.isoformat() if deal.expected_close_date else ""
    return (
        deal.id, deal.name, deal.amount, deal.currency, deal.pipeline_label, deal.stage_label, deal.status, close,
        owner(deal.owner_id), deal.company_name or "", "; ".join(contact.name for contact in deal.contacts),
        deal.created_at.isoformat(), deal.updated_at.isoformat(),
    )  # fmt: skip


DEAL_EXPORT = Export(
    OBJECT, "deal", Deal, "d", f"{COLUMNS}, dcl.contact_list", export_joins, LIST_SPEC, read, header, cells
)  # fmt: skip
