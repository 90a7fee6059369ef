"""Who may be given a record: the same rule for every CRM object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied, Principal, require
from sampark.tenants.history.people import is_member


async def check_owner(
    obj: str, clean: Mapping[str, Any], principal: Principal, errors: dict[str, str], refused: str
) -> None:
    """Add an ``owner_id`` error unless the new owner is the principal or an active member within edit scope.

    Args:
        obj: the access-control object (``contacts``, ``companies``).
        clean: the validated fields; nothing happens without an ``owner_id``.
        principal: the acting principal (giving a record to oneself is always allowed).
        errors: field errors collected so far; changed in place.
        refused: the translated message when the principal may not give records of ``obj`` to that member.
    """
    owner_id = clean.get("owner_id")
    if owner_id is None or owner_id == principal.user_id:
        return
    if not await is_member(owner_id):
        errors["owner_id"] = _("Choose an owner from the list.")
        return
    try:
        require(obj, "edit", owner_id=owner_id)
    except PermissionDenied:
        errors["owner_id"] = refused
