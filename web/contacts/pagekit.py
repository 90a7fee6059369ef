"""Helpers shared by the CRM pages (contacts, companies): list URLs, choices, and what the user may do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import phonenumbers
from litestar import Request, Response
from litestar.exceptions import NotFoundException
from litestar.response import Redirect

from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.policy import PermissionDenied, current_principal, require
from sampark.tenants.companies.fields import size_label
from sampark.tenants.contacts.addresses import country_choices
from sampark.tenants.contacts.fields import default_phone_region, source_label, stage_label
from sampark.tenants.history.people import Person, members
from sampark.tenants.records.errors import VersionConflict
from sampark.web.rendering import flash, render

# "after" is the cursor parameter's older name, still accepted on pages; "view" picks a saved view.
LIST_CONTROLS = ("cursor", "sort", "after", "view")
PAGE_SIZE = 25


def list_url(base: str, params: Mapping[str, Any], **changes: Any) -> str:
    """``base`` with the current list parameters, ``changes`` applied; empty values are left out."""
    merged = {**params, **changes}
    query = urlencode({name: value for name, value in merged.items() if value not in (None, "")})
    return f"{base}?{query}" if query else base


def page_filters(query_params: Mapping[str, Any]) -> dict[str, str]:
    """Filter parameters of a list page: everything but the cursor and the sort, empty ones left out."""
    return {
        name: str(value)
        for name, value in query_params.items()
        if name not in LIST_CONTROLS and str(value).strip()
    }


def can(obj: str, action: str, owner_id: int | None = None, *, record: bool = True) -> bool:
    try:
        require(obj, action, owner_id, record=record)
    except PermissionDenied:
        return False
    return True


async def owner_choices(obj: str) -> list[Person]:
    """The people the principal may give records of ``obj`` to: everyone, team mates, or only themselves."""
    principal = current_principal()
    people = await members()
    scope = principal.scope(obj, "edit")
    if scope == "all":
        return list(people.values())
    if scope == "team":
        return [person for person in people.values() if person.id in principal.team_user_ids]
    return [person for person in people.values() if person.id == principal.user_id]


def phone_regions() -> list[tuple[str, str]]:
    supported = phonenumbers.SUPPORTED_REGIONS
    return [(code, name) for code, name in country_choices() if code in supported]


def tenant_phone_region() -> str:
    return default_phone_region(current_tenant().region) or ""


def history_value(field: str, value: str) -> str:
    """A history value for display: choice keys as their translated labels."""
    if not value:
        return value
    formatter = {"lifecycle_stage": stage_label, "source": source_label, "size": size_label}.get(field)
    return formatter(value) if formatter else value


def confirm_delete_page(
    request: Request[Any, Any, Any], record: Any, *, obj: str, template: str, key: str
) -> Response[str]:
    """The delete confirmation of ``record`` (404 when None, 403 before showing a form that could not be saved)."""
    if record is None:
        raise NotFoundException()
    require(obj, "delete", record.owner_id)
    return render(request, template, {key: record, "stale": False})


async def delete_and_redirect(
    request: Request[Any, Any, Any],
    remove: Callable[..., Awaitable[Any]],
    record_id: int,
    *,
    template: str,
    key: str,
    done: Callable[[Any], str],
    back: str,
) -> Response[Any]:
    """Delete with the posted ``version``: back to the list with ``done(record)`` flashed, or 409 when stale.

    A record that is gone raises ``RecordNotFound``, answered 404 by ``web/errors.py``.
    """
    form = await request.form()
    version = str(form.get("version") or "")
    try:
        record = await remove(record_id, expected_version=int(version) if version.isdigit() else -1)
    except VersionConflict as conflict:
        return render(request, template, {key: conflict.current, "stale": True}, status_code=409)
    flash(request, done(record), "success")
    return Redirect(path=back, status_code=303)
