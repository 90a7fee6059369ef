"""What every CRM object's bulk actions share: the selection rules, the new-owner check, and the loop that
applies one single-record service call per id and reports what was skipped and why.

Each record goes through its object's own services, so it is locked, checked, versioned and audited exactly
as a single edit would be; everything runs in the caller's one transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sampark.tenants.access.policy import PermissionDenied, current_principal
from sampark.tenants.records.errors import FieldErrors, RecordNotFound
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
    # (id, reason): reason is "not_found", "forbidden", "unchanged" or "invalid".
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

    Not found, forbidden, field errors and the ``invalid`` exceptions become skip reasons, never failures.
    """
    result = BulkResult()
    for record_id in ids:
        try:
            reason = await apply(record_id)
        except RecordNotFound:
            reason = "not_found"
        except PermissionDenied:
            reason = "forbidden"
        except (FieldErrors, *invalid):
            reason = "invalid"
        if reason:
            result.skipped.append((record_id, reason))
        else:
            result.changed.append(record_id)
    return result
