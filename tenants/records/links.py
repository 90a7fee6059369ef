"""Links from one thing to "any record": the registry of record types an activity, task or file can hang on.

Activities, tasks and files point at a record with a ``(record_type, record_id)`` pair rather than a foreign key
per type, so a feature added later (deals, leads, tickets) becomes linkable by registering itself here, without a
schema change in the features that link to it. Because the database cannot enforce such a pair, every write goes
through :func:`resolve_link`, which checks that the record exists and that the principal may see it, and each
record type's delete removes its links (see :func:`registered_types`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from sampark.platform.db.sql import fetchrow
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.records.queries import visible_flag
from sampark.tenants.search.listing import Sql

__all__ = [
    "LinkType", "LinkedRecord", "link_type", "record_deleted", "record_merged", "register_link_hooks",
    "register_link_type", "registered_types", "resolve_link", "resolve_writable_link",
]  # fmt: skip

# What a linking feature does when a record it links to goes away or is merged into another record.
DeleteHook = Callable[[str, int], Awaitable[None]]
MergeHook = Callable[[str, int, int], Awaitable[None]]


@dataclass(frozen=True)
class LinkType:
    """How to find and show one kind of record.

    Attributes:
        record_type: the name stored in links and audit entries (``contact``, ``company``, ``deal``).
        obj: the access-control object that guards it (``contacts``).
        table: the table name.
        label_sql: a SQL expression over alias ``r`` that names the record for people (never trusted as HTML).
        path: the page path under ``/t/<slug>``, with ``{id}`` for the record id.
        read_only_sql: a SQL condition over alias ``r``, true when the record takes no new links (a converted
            lead); empty when records of the type always do.
        read_only_reason: the translated message that refuses such a link.
    """

    record_type: str
    obj: str
    table: str
    label_sql: str
    path: str
    read_only_sql: str = ""
    read_only_reason: Any = None


@dataclass(frozen=True)
class LinkedRecord:
    record_type: str
    record_id: int
    label: str
    owner_id: int | None
    path: str
    # No new activities, tasks or files may link to it (``resolve_writable_link`` says why).
    read_only: bool = False
    read_only_reason: str = ""

    def url(self, slug: str) -> str:
        return f"/t/{slug}{self.path}"


_TYPES: dict[str, LinkType] = {}
_DELETE_HOOKS: dict[str, DeleteHook] = {}
_MERGE_HOOKS: dict[str, MergeHook] = {}


def register_link_type(link: LinkType) -> LinkType:
    """Make ``link.record_type`` linkable (called once at import by the feature that owns the table)."""
    _TYPES[link.record_type] = link
    return link


def register_link_hooks(feature: str, *, on_delete: DeleteHook, on_merge: MergeHook) -> None:
    """Let ``feature`` (activities, tasks, files) follow the records it links to.

    ``on_delete(record_type, record_id)`` runs in the transaction that deletes the record, before the row goes;
    ``on_merge(record_type, from_id, into_id)`` runs in the transaction that merges ``from_id`` into ``into_id``
    and must move the links, so the surviving record keeps both histories. Keyed by feature: registering twice
    (a module imported again) replaces rather than doubles.
    """
    _DELETE_HOOKS[feature] = on_delete
    _MERGE_HOOKS[feature] = on_merge


async def record_deleted(record_type: str, record_id: int) -> None:
    """Tell every linking feature that a record is being deleted (called by the record's delete service)."""
    for hook in _DELETE_HOOKS.values():
        await hook(record_type, record_id)


async def record_merged(record_type: str, from_id: int, into_id: int) -> None:
    """Tell every linking feature that ``from_id`` is being merged into ``into_id``."""
    for hook in _MERGE_HOOKS.values():
        await hook(record_type, from_id, into_id)


def registered_types() -> tuple[str, ...]:
    return tuple(_TYPES)


def link_type(record_type: str) -> LinkType | None:
    return _TYPES.get(record_type)


async def resolve_link(record_type: str, record_id: int) -> LinkedRecord | None:
    """The record if it exists and the principal may view it; None otherwise (callers answer "not found").

    An unknown type, an id out of range and a record the principal may not see all look the same, so a link
    cannot be used to probe for records.
    """
    link = _TYPES.get(record_type)
    if link is None or not 0 < record_id < 2**63:
        return None
    sql = Sql()
    visible = visible_flag(sql, link.obj, "r")
    read_only = f"({link.read_only_sql})" if link.read_only_sql else "false"
    query = (
        f"SELECT {link.label_sql} AS label, r.owner_id, {read_only} AS read_only FROM {link.table} r"
        f" WHERE r.id = {sql.bind(record_id)} AND {visible}"
    )
    try:
        row = await fetchrow(AuditEntry, query, *sql.params)
    except PermissionDenied:  # pragma: no cover - visible_flag already folds this into "false"
        return None
    if row is None:
        return None
    return LinkedRecord(
        record_type, record_id, row["label"], row["owner_id"], link.path.format(id=record_id),
        read_only=bool(row["read_only"]), read_only_reason=str(link.read_only_reason or "") if row["read_only"] else "",
    )  # fmt: skip


async def resolve_writable_link(record_type: str, record_id: int) -> tuple[LinkedRecord | None, str]:
    """The record as ``resolve_link`` finds it, and why a new link to it is refused ("" when it is not).

    Activities, tasks and files call this before linking, so a read-only record (a converted lead) refuses new
    entries in the service, whichever page or API asked.
    """
    record = await resolve_link(record_type, record_id)
    if record is not None and record.read_only:
        return record, record.read_only_reason
    return record, ""


CONTACT_LINK: Final = register_link_type(
    LinkType("contact", "contacts", "contacts", "btrim(r.first_name || ' ' || r.last_name)", "/contacts/{id}")
)
COMPANY_LINK: Final = register_link_type(
    LinkType("company", "companies", "companies", "r.name", "/companies/{id}")
)
DEAL_LINK: Final = register_link_type(LinkType("deal", "deals", "deals", "r.name", "/deals/{id}"))


# Conversion: a record of one type becomes another (a lead converted into a contact). Separate from the
# delete/merge hooks so features registered before conversions existed keep working; a feature without a
# convert hook leaves its links on the original record, which stays (read-only) and still shows them.
ConvertHook = Callable[[str, int, str, int], Awaitable[None]]
_CONVERT_HOOKS: dict[str, ConvertHook] = {}
__all__ += ["record_converted", "register_convert_hook"]


def register_convert_hook(feature: str, on_convert: ConvertHook) -> None:
    """Let ``feature`` move its links when a record is converted: ``on_convert(from_type, from_id, to_type,
    to_id)`` runs in the converting transaction and re-points links of ``(from_type, from_id)`` to
    ``(to_type, to_id)``. Keyed by feature, like ``register_link_hooks``."""
    _CONVERT_HOOKS[feature] = on_convert


async def record_converted(from_type: str, from_id: int, to_type: str, to_id: int) -> None:
    """Tell every linking feature that ``(from_type, from_id)`` was converted into ``(to_type, to_id)``."""
    for hook in _CONVERT_HOOKS.values():
        await hook(from_type, from_id, to_type, to_id)
