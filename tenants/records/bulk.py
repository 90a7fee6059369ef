"""What every CRM object's bulk actions share: the selection rules, the new-owner check, and the loop that
applies one single-record service call per id and reports what was skipped and why.

Each record goes through its object's own services, so it is locked, checked, versioned and audited exactly
as a single edit would be; everything runs in the caller's one transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, current_principal, require
from sampark.tenants.contacts.fields import clean_tags
from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict
from sampark.tenants.records.owners import check_owner

MAX_IDS = 500


class BulkError(ValueError):
    """The request itself is wrong (nothing was changed): a stable ``code`` and a translated message."""

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    # (id, reason): reason is "not_found", "forbidden", "unchanged", "invalid" or "conflict" (the record
    # changed since the version the caller sent).
    skipped: list[tuple[int, str]] = field(default_factory=list)


def selected_ids(ids: Sequence[int], *, none: str, too_many: str, bad: str) -> list[int]:
    """The ids in ascending order (one lock order for every request, so two bulk edits cannot deadlock).

    Raises:
        BulkError: ``no_selection`` (message ``none``), ``too_many`` or ``bad_request`` (``bad``).
    """
    unique = sorted(set(ids))
    if not unique:
        raise BulkError("no_selection", none, "ids")
    if len(unique) > MAX_IDS:
        raise BulkError("too_many", too_many, "ids")
    if any(not 0 < value < 2**63 for value in unique):
        raise BulkError("bad_request", bad, "ids")
    return unique


async def new_owner(obj: str, owner_id: int | None, *, missing: str, refused: str) -> int:
    """The owner records of ``obj`` are to be given to, checked once for the whole selection.

    Raises:
        BulkError: ``bad_request`` without an owner, ``invalid_owner`` for one the principal may not use.
    """
    if owner_id is None:
        raise BulkError("bad_request", missing, "owner_id")
    errors: dict[str, str] = {}
    await check_owner(obj, {"owner_id": owner_id}, current_principal(), errors, refused)
    if errors:
        raise BulkError("invalid_owner", errors["owner_id"], "owner_id")
    return owner_id


async def apply_each(
    ids: Sequence[int], apply: Callable[[int], Awaitable[str]], *, invalid: tuple[type[Exception], ...] = ()
) -> BulkResult:
    """Call ``apply(id)`` for each id ("" when changed, else why not) and collect the result.

    Not found, forbidden, version conflicts, field errors and the ``invalid`` exceptions become skip reasons,
    never failures.
    """
    result = BulkResult()
    for record_id in ids:
        try:
            reason = await apply(record_id)
        except RecordNotFound:
            reason = "not_found"
        except PermissionDenied:
            reason = "forbidden"
        except VersionConflict:
            reason = "conflict"
        except (FieldErrors, *invalid):
            reason = "invalid"
        if reason:
            result.skipped.append((record_id, reason))
        else:
            result.changed.append(record_id)
    return result


def bulk_tag(tag: str | None) -> str:
    """The one tag a bulk "tag"/"untag" adds or removes, cleaned like a record's tags.

    Raises:
        BulkError: ``invalid_tag`` (too long, bad characters) or ``bad_request`` (no tag).
    """
    errors: dict[str, str] = {}
    tags = clean_tags([tag or ""], errors)
    if errors:
        raise BulkError("invalid_tag", errors["tags"], "tag")
    if not tags:
        raise BulkError("bad_request", _("Enter a tag."), "tag")
    return tags[0]


def tag_changes(action: str, tags: Sequence[str], tag: str) -> dict[str, Any]:
    """The ``tags`` change "tag" or "untag" makes to a record (empty when it already has/lacks the tag)."""
    if action == "tag":
        return {"tags": [*tags, tag]} if tag not in tags else {}
    return {"tags": [t for t in tags if t != tag]} if tag in tags else {}


Update = Callable[..., Awaitable[Any]]


async def change_each(
    obj: str,
    ids: Sequence[int],
    read: Callable[[int], Awaitable[Any]],
    changes: Callable[[Any], Mapping[str, Any]],
    update: Update,
    *,
    versions: Mapping[int, int] | None = None,
    invalid: tuple[type[Exception], ...] = (),
) -> BulkResult:
    """Update each record with ``changes(current)`` through its service ``update(id, changes,
    expected_version=...)``; a record the principal may see but not edit is "forbidden", one needing no change
    "unchanged", one whose version differs from ``versions[id]`` "conflict"."""
    wanted_versions = versions or {}

    async def apply(record_id: int) -> str:
        current = await read(record_id)
        if current is None:
            return "not_found"
        require(obj, "edit", owner_id=current.owner_id)
        wanted = changes(current)
        if not wanted:
            return "unchanged"
        updated = await update(record_id, wanted, expected_version=wanted_versions.get(record_id))
        return "" if updated.version != current.version else "unchanged"

    return await apply_each(ids, apply, invalid=invalid)


async def delete_each(
    ids: Sequence[int], delete: Update, *, versions: Mapping[int, int] | None = None
) -> BulkResult:
    """Delete each record through its service ``delete(id, expected_version=...)``."""
    wanted_versions = versions or {}

    async def apply(record_id: int) -> str:
        await delete(record_id, expected_version=wanted_versions.get(record_id))
        return ""

    return await apply_each(ids, apply)


@dataclass(frozen=True)
class BulkTarget:
    """One object's bulk actions: its services and its messages.

    Attributes:
        obj: the permission object.
        actions: the actions offered ("assign", "delete", "tag"/"untag" for objects with tags, others through
            ``more``).
        read, update, delete: the single-record services (``read(id)`` answers None when not visible).
        messages: translated texts, built when called: ``none``, ``too_many``, ``bad`` (the selection) and
            ``refused`` (an owner the principal may not give records to).
        invalid: service exceptions that mean "this record cannot take the change" (skipped as "invalid").
        more: object-specific actions: ``more[action](ids, options)`` with the checked ids in lock order.
    """

    obj: str
    actions: tuple[str, ...]
    read: Callable[[int], Awaitable[Any]]
    update: Update
    delete: Update
    messages: Callable[[], Mapping[str, str]]
    invalid: tuple[type[Exception], ...] = ()
    more: Mapping[str, Callable[[list[int], BulkOptions], Awaitable[BulkResult]]] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class BulkOptions:
    """What an action needs besides the ids (each action reads its own; the others are ignored)."""

    owner_id: int | None = None
    tag: str | None = None
    stage_id: int | None = None
    # Record id → the version the caller saw; a record changed since is skipped as "conflict".
    versions: Mapping[int, int] | None = None


async def run_bulk(target: BulkTarget, action: str, ids: Sequence[int], options: BulkOptions) -> BulkResult:
    """Apply ``action`` to each record in ``ids`` the principal may change through ``target``'s services;
    report the rest as skipped. Everything runs in the caller's one transaction.

    Raises:
        BulkError: unknown action, no or more than ``MAX_IDS`` ids, a missing or refused owner, tag or stage.
    """
    messages = target.messages()
    if action not in target.actions:
        raise BulkError("bad_request", _("Choose an action from the list."), "action")
    selected = selected_ids(ids, none=messages["none"], too_many=messages["too_many"], bad=messages["bad"])
    versions = options.versions
    if action == "delete":
        return await delete_each(selected, target.delete, versions=versions)
    if action in target.more:
        return await target.more[action](selected, options)
    if action == "assign":
        owner = await new_owner(
            target.obj,
            options.owner_id,
            missing=_("Choose an owner from the list."),
            refused=messages["refused"],
        )
        return await change_each(
            target.obj, selected, target.read, lambda _record: {"owner_id": owner}, target.update,
            versions=versions, invalid=target.invalid,
        )  # fmt: skip
    label = bulk_tag(options.tag)
    # A record that cannot take the change (e.g. already at the tag limit) is skipped as "invalid".
    return await change_each(
        target.obj, selected, target.read, lambda record: tag_changes(action, record.tags, label), target.update,
        versions=versions, invalid=target.invalid,
    )  # fmt: skip
