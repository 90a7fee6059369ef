"""Merge two contacts or two companies: one survives, the other is folded into it and deleted.

In one transaction: the survivor takes, per field, the value the user picked (multi-values such as e-mails,
phones, addresses and tags are unioned); every linking feature moves its links (``record_merged``); a company's
contacts and subsidiaries move to the survivor; a ``merge`` audit entry on the survivor names the record merged
away (the audit log is append-only, so its history cannot be re-pointed: readers follow the merge entries
instead, see ``history.services.merged_ids``); then the other record is deleted through its own service, whose
delete hooks find nothing left to unlink. Needs edit rights on the survivor and delete rights on the other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sampark.platform.db.sql import fetch
from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import require
from sampark.tenants.audit.services import record_change
from sampark.tenants.companies import services as companies
from sampark.tenants.companies.tables import Company
from sampark.tenants.contacts import services as contacts
from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict
from sampark.tenants.records.links import record_merged

__all__ = ["MERGES", "MergeSpec", "merge_records"]

SIDES = ("into", "from")


@dataclass(frozen=True)
class MergeSpec:
    """How to merge one record type."""

    obj: str
    get: Callable[[int], Awaitable[Any]]
    update: Callable[..., Awaitable[Any]]
    delete: Callable[..., Awaitable[Any]]
    # Fields the user picks a side for, and list fields that are unioned.
    single: tuple[str, ...]
    multi: tuple[str, ...] = ()


MERGES: dict[str, MergeSpec] = {
    "contact": MergeSpec(
        "contacts", contacts.get_contact, contacts.update_contact, contacts.delete_contact,
        single=("first_name", "last_name", "company_id", "lifecycle_stage", "source", "owner_id", "language",
                "time_zone"),
        multi=("emails", "phones", "addresses", "tags"),
    ),
    "company": MergeSpec(
        "companies", companies.get_company, companies.update_company, companies.delete_company,
        single=("name", "domain", "industry", "size", "address", "parent_id", "owner_id"),
    ),
}  # fmt: skip

# The loser's contacts follow it to the survivor (audited per contact, like a company deletion's detaching).
_MOVE_CONTACTS = """
WITH moved AS (
    UPDATE contacts SET company_id = $2, version = version + 1, updated_at = now() WHERE company_id = $1 RETURNING id
)
INSERT INTO audit_log (actor_user_id, action, object_type, object_id, changes)
SELECT $3, 'update', 'contact', id, jsonb_build_object('company_id', jsonb_build_object('before', $1::bigint, 'after', $2::bigint))
FROM moved
"""
# Its subsidiaries too, except the survivor itself and its ancestors (moving those would make a cycle; the
# deletion detaches them instead).
_MOVE_SUBSIDIARIES = """
WITH RECURSIVE above(id, depth) AS (
    SELECT parent_id, 1 FROM companies WHERE id = $2 AND parent_id IS NOT NULL
    UNION ALL
    SELECT c.parent_id, a.depth + 1 FROM companies c JOIN above a ON c.id = a.id WHERE c.parent_id IS NOT NULL AND a.depth < 50
), moved AS (
    UPDATE companies SET parent_id = $2, version = version + 1, updated_at = now()
    WHERE parent_id = $1 AND id <> $2 AND id NOT IN (SELECT id FROM above) RETURNING id
)
INSERT INTO audit_log (actor_user_id, action, object_type, object_id, changes)
SELECT $3, 'update', 'company', id, jsonb_build_object('parent_id', jsonb_build_object('before', $1::bigint, 'after', $2::bigint))
FROM moved
"""


def _value(record: Any, field: str) -> Any:
    """A field of a view as the record's update service takes it."""
    value = getattr(record, field)
    if field == "phones":
        return [{"number": phone.number, "label": phone.label} for phone in value]
    if isinstance(value, tuple | list):
        return [dict(item) if isinstance(item, Mapping) else item for item in value]
    if isinstance(value, Mapping):
        return dict(value) or None
    return value


def _union(first: list[Any], second: list[Any]) -> list[Any]:
    merged = list(first)
    for item in second:
        if item not in merged:
            merged.append(item)
    return merged


def merged_changes(spec: MergeSpec, into: Any, other: Any, fields: Mapping[str, str]) -> dict[str, Any]:
    """What the survivor's update must set: the fields taken from the other record, and the unioned lists.

    Raises:
        FieldErrors: a field that cannot be picked, or a side other than ``into``/``from``.
    """
    errors = {
        name: _("Choose which record's value to keep.")
        for name, side in fields.items()
        if name not in spec.single or side not in SIDES
    }
    if errors:
        raise FieldErrors(errors)
    changes = {name: _value(other, name) for name, side in fields.items() if side == "from"}
    for name in spec.multi:
        union = _union(_value(into, name), _value(other, name))
        if union != _value(into, name):
            changes[name] = union
    return changes


async def merge_records(
    record_type: str,
    into_id: int,
    from_id: int,
    fields: Mapping[str, str],
    *,
    expected_version: int | None,
    from_version: int | None = None,
) -> Any:
    """Merge record ``from_id`` into ``into_id``; return the survivor as it is now.

    Raises:
        RecordNotFound: either record does not exist or the principal may not see it.
        PermissionDenied: no edit right on the survivor or no delete right on the other.
        VersionConflict: either record changed since the versions given (None: not checked).
        FieldErrors: same record twice, a bad field choice, or the merged values break a field rule.
    """
    spec = MERGES[record_type]
    if into_id == from_id:
        raise FieldErrors({"from_id": _("Choose a different record to merge.")})
    into, other = await spec.get(into_id), await spec.get(from_id)
    if into is None:
        raise RecordNotFound(into_id)
    if other is None:
        raise RecordNotFound(from_id)
    principal = require(spec.obj, "edit", owner_id=into.owner_id)
    require(spec.obj, "delete", owner_id=other.owner_id)
    if expected_version is not None and expected_version != into.version:
        raise VersionConflict(into)
    if from_version is not None and from_version != other.version:
        raise VersionConflict(other)
    changes = merged_changes(spec, into, other, fields)
    survivor = await spec.update(into_id, changes, expected_version=into.version) if changes else into
    if record_type == "company":
        await fetch(Company, companies._TREE_LOCK)
        await fetch(Company, _MOVE_CONTACTS, from_id, into_id, principal.user_id)
        await fetch(Company, _MOVE_SUBSIDIARIES, from_id, into_id, principal.user_id)
    await record_merged(record_type, from_id, into_id)
    await record_change(
        "merge", record_type, into_id, actor_user_id=principal.user_id,
        before={"merged_from": None, "merged_name": None},
        after={"merged_from": from_id, "merged_name": other.display_name},
    )  # fmt: skip
    await spec.delete(from_id, expected_version=other.version)
    return await spec.get(into_id) or survivor
