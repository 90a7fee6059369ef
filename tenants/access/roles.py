"""Roles: the built-in ones (read-only) and a tenant's custom roles with their permission matrix."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.platform.identity import invitations, members
from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.catalog import OBJECTS, Permissions, normalize
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.access.services import AdminError, check_grantable, exceeds
from sampark.tenants.access.tables import Role
from sampark.tenants.audit.services import record_change

ROLE_KEY_LENGTH = 32  # memberships.role is VARCHAR(32)
NAME_LENGTH = 100
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


# --- Roles ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleView:
    id: int
    key: str
    name: str
    is_builtin: bool
    permissions: Permissions
    hidden_fields: dict[str, list[str]]
    member_count: int = 0


@dataclass
class RoleInput:
    name: str
    permissions: dict[str, dict[str, str]] = field(default_factory=dict)
    hidden_fields: dict[str, list[str]] = field(default_factory=dict)


def parse_field_list(text: str) -> list[str]:
    """``"phone, email"`` → ``["email", "phone"]`` (what the form's comma-separated inputs hold)."""
    return sorted({part.strip().lower() for part in text.split(",") if part.strip()})


def _clean_permissions(raw: Any) -> tuple[Permissions, str | None]:
    """Validate with the catalog's ``normalize``: anything it would drop is an error, not silently lost."""
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        return {}, _("Give permissions as object, then action, then scope.")
    clean = normalize(raw)
    unknown = sorted(
        f"{obj}.{action}"
        for obj, actions in raw.items()
        for action, scope in actions.items()
        if clean.get(obj, {}).get(action) != scope
    )
    if unknown:
        return {}, _("Unknown object, action or scope: %(items)s.", items=", ".join(unknown))
    # "none" is what a missing entry means already; keeping the stored matrix small keeps diffs readable.
    granted: Permissions = {}
    for obj, actions in clean.items():
        kept = {action: scope for action, scope in actions.items() if scope != "none"}
        if kept:
            granted[obj] = kept
    return granted, None


def validate_role(data: RoleInput) -> tuple[RoleInput, dict[str, str]]:
    """Check a role's name, permission matrix and hidden fields; return the cleaned input and errors."""
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = _("Enter a name for the role.")
    elif len(name) > NAME_LENGTH:
        errors["name"] = _("Use at most %(count)s characters.", count=NAME_LENGTH)
    permissions, problem = _clean_permissions(data.permissions)
    if problem:
        errors["permissions"] = problem
    hidden: dict[str, list[str]] = {}
    for obj, names in (data.hidden_fields or {}).items():
        if obj not in OBJECTS or not isinstance(names, list):
            errors["hidden_fields"] = _("Unknown object: %(object)s.", object=str(obj))
            continue
        bad = [str(n) for n in names if not isinstance(n, str) or not _FIELD_NAME.match(n)]
        if bad:
            errors[f"hidden.{obj}"] = _("Use field names of lower-case letters, digits and underscores.")
        elif names:
            hidden[obj] = sorted(set(names))
    return RoleInput(name, permissions, hidden), errors


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[: ROLE_KEY_LENGTH - 4].strip("-") or "role"


def _role_view(row: dict[str, Any], usage: dict[str, int]) -> RoleView:
    return RoleView(
        id=row["id"],
        key=row["key"],
        name=row["name"],
        is_builtin=row["is_builtin"],
        permissions=row["permissions"] or {},
        hidden_fields=row["hidden_fields"] or {},
        member_count=usage.get(row["key"], 0),
    )


def _role_query() -> Any:
    return Role.select(
        Role.id, Role.key, Role.name, Role.is_builtin, Role.permissions, Role.hidden_fields
    ).output(load_json=True)


async def list_roles() -> list[RoleView]:
    """Built-in roles first, then custom ones by name, each with how many members hold it."""
    require("roles", "view", record=False)
    usage = await members.role_usage(current_tenant().id)
    rows = await _role_query().order_by(Role.is_builtin, ascending=False).order_by(Role.name)
    return [_role_view(row, usage) for row in rows]


async def get_role(key: str) -> RoleView | None:
    require("roles", "view", record=False)
    row = await _role_query().where(Role.key == key).first()
    return _role_view(row, await members.role_usage(current_tenant().id)) if row else None


async def assignable_roles() -> list[RoleView]:
    """The roles the principal may give someone (none reaching further than their own), for pickers."""
    require("users", "view", record=False)
    principal = current_principal()
    usage = await members.role_usage(current_tenant().id)
    rows = await _role_query().order_by(Role.is_builtin, ascending=False).order_by(Role.name)
    return [_role_view(row, usage) for row in rows if not exceeds(principal, row["permissions"] or {})]


async def _name_taken(name: str, except_key: str | None = None) -> bool:
    rows = await Role.select(Role.key, Role.name)
    return any(r["name"].casefold() == name.casefold() and r["key"] != except_key for r in rows)


def _audit_role(data: RoleInput | RoleView) -> dict[str, Any]:
    return {
        "name": data.name,
        "permissions": json.dumps(data.permissions, sort_keys=True),
        "hidden_fields": json.dumps(data.hidden_fields, sort_keys=True),
    }


async def _valid_role(data: RoleInput, except_key: str | None = None) -> RoleInput:
    clean, errors = validate_role(data)
    if not errors.get("name") and await _name_taken(clean.name, except_key):
        errors["name"] = _("Another role already has this name.")
    if errors:
        raise AdminError("validation_failed", errors)
    check_grantable(clean.permissions, field="permissions")
    return clean


async def create_role(data: RoleInput) -> RoleView:
    """Create a custom role; its key is made from the name and never changes."""
    principal = require("roles", "create", record=False)
    clean = await _valid_role(data)
    # "new" is the address of the create form, so no role may have it as its key.
    taken = {"new", *await Role.select(Role.key).output(as_list=True)}
    base = key = _slug(clean.name)
    suffix = 1
    while key in taken:
        suffix += 1
        key = f"{base}-{suffix}"
    now = datetime.now(UTC)
    rows = await Role.insert(
        Role(
            key=key,
            name=clean.name,
            is_builtin=False,
            permissions=clean.permissions,
            hidden_fields=clean.hidden_fields,
            created_at=now,
            updated_at=now,
        )
    ).returning(Role.id)
    await record_change(
        "create",
        "role",
        rows[0]["id"],
        actor_user_id=principal.user_id,
        after={"key": key, **_audit_role(clean)},
    )
    role = await get_role(key)
    assert role is not None
    return role


async def _custom_role(key: str) -> RoleView:
    role = await get_role(key)
    if role is None:
        raise AdminError("not_found")
    if role.is_builtin:
        raise AdminError("builtin_role", {"name": _("Built-in roles cannot be changed.")})
    return role


async def update_role(key: str, data: RoleInput) -> RoleView:
    principal = require("roles", "edit", record=False)
    before = await _custom_role(key)
    check_grantable(before.permissions, field="permissions")
    clean = await _valid_role(data, except_key=key)
    await Role.update(
        {
            Role.name: clean.name,
            Role.permissions: clean.permissions,
            Role.hidden_fields: clean.hidden_fields,
            Role.updated_at: datetime.now(UTC),
        }
    ).where(Role.key == key)
    await record_change(
        "update",
        "role",
        before.id,
        actor_user_id=principal.user_id,
        before={"key": key, **_audit_role(before)},
        after={"key": key, **_audit_role(clean)},
    )
    role = await get_role(key)
    assert role is not None
    return role


async def delete_role(key: str) -> None:
    """Delete a custom role that no membership and no open invitation names."""
    principal = require("roles", "delete", record=False)
    role = await _custom_role(key)
    pending = [
        i for i in await invitations.open_invitations(current_tenant().id, limit=1000) if i.role == key
    ]
    if role.member_count or pending:
        raise AdminError(
            "role_in_use", {"name": _("Members or invitations still use this role. Give them another first.")}
        )
    await Role.delete().where(Role.key == key)
    await record_change(
        "delete", "role", role.id, actor_user_id=principal.user_id, before={"key": key, **_audit_role(role)}
    )
