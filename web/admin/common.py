"""What the admin controllers share: labels for the permission catalog, form reading, error mapping."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.support import LazyProxy
from litestar import Request
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.platform.tenancy.context import TenantRecord
from sampark.tenants.access.services import AdminError
from sampark.web.errors import ApiError

OBJECT_LABELS: Mapping[str, LazyProxy] = {
    "contacts": lazy_gettext("Contacts"),
    "companies": lazy_gettext("Companies"),
    "leads": lazy_gettext("Leads"),
    "deals": lazy_gettext("Deals"),
    "activities": lazy_gettext("Activities"),
    "tasks": lazy_gettext("Tasks"),
    "files": lazy_gettext("Files"),
    "campaigns": lazy_gettext("Campaigns"),
    "reports": lazy_gettext("Reports"),
    "users": lazy_gettext("Users"),
    "roles": lazy_gettext("Roles"),
    "teams": lazy_gettext("Teams"),
    "audit": lazy_gettext("Audit log"),
    "settings": lazy_gettext("Settings"),
    "consent": lazy_gettext("Consent"),
}
ACTION_LABELS: Mapping[str, LazyProxy] = {
    "view": lazy_gettext("View"),
    "create": lazy_gettext("Create"),
    "edit": lazy_gettext("Edit"),
    "delete": lazy_gettext("Delete"),
    "import": lazy_gettext("Import"),
    "export": lazy_gettext("Export"),
}
SCOPE_LABELS: Mapping[str, LazyProxy] = {
    "none": lazy_gettext("None"),
    "own": lazy_gettext("Own"),
    "team": lazy_gettext("Team"),
    "all": lazy_gettext("All"),
}

# Stable API codes of AdminError, and the HTTP status each answers with.
STATUS_BY_CODE = {
    "not_found": 404,
    "validation_failed": 422,
    "privilege_escalation": 403,
    "already_member": 409,
    "already_invited": 409,
    "last_admin": 409,
    "self_deactivation": 409,
    "builtin_role": 409,
    "role_in_use": 409,
}


def label(mapping: Mapping[str, LazyProxy], key: str) -> str:
    return str(mapping[key]) if key in mapping else key


def api_error(error: AdminError) -> ApiError:
    """The JSON error for a refused admin change: ``{"error": {"code", "message", "details": {"fields"}}}``."""
    status = STATUS_BY_CODE.get(error.code, 400)
    message = _("Not found.") if error.code == "not_found" else error.message
    if error.errors:
        return ApiError(status, error.code, message, fields=error.errors)
    return ApiError(status, error.code, message)


async def form_fields(request: Request[Any, Any, Any]) -> tuple[dict[str, str], Any]:
    """The posted form as single string values, and the raw multi-dict (for repeated fields)."""
    form = await request.form()
    return {key: str(value) for key, value in form.items()}, form


def optional_int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def admin_url(tenant: TenantRecord, section: str = "users") -> str:
    return f"/t/{tenant.slug}/admin/{section}/"


def back_to(tenant: TenantRecord, section: str = "users") -> Redirect:
    return Redirect(path=admin_url(tenant, section), status_code=303)
