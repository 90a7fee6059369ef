"""What can be permitted: objects, actions, scopes, and the built-in roles. Data, not code branches."""

from __future__ import annotations

from typing import Final

OBJECTS: Final = (
    "contacts", "companies", "leads", "deals", "activities", "tasks", "files", "campaigns", "reports",
    "users", "roles", "teams", "audit", "settings", "consent",
)  # fmt: skip
ACTIONS: Final = ("view", "create", "edit", "delete", "import", "export")
# Ordered from least to most: a role's scope for an action is one of these.
SCOPES: Final = ("none", "own", "team", "all")

Permissions = dict[str, dict[str, str]]

_CRM = ("contacts", "companies", "leads", "deals", "activities", "tasks", "files")
_ADMIN = ("users", "roles", "teams", "audit", "settings", "consent")


def _grant(objects: tuple[str, ...], scope: str, actions: tuple[str, ...] = ACTIONS) -> Permissions:
    return {obj: dict.fromkeys(actions, scope) for obj in objects}


def _merge(*parts: Permissions) -> Permissions:
    merged: Permissions = {}
    for part in parts:
        for obj, actions in part.items():
            merged.setdefault(obj, {}).update(actions)
    return merged


BUILTIN_ROLES: Final[dict[str, tuple[str, Permissions]]] = {
    "admin": ("Admin", _grant(OBJECTS, "all")),
    "sales": ("Sales", _merge(
        _grant(_CRM, "own", ("view", "create", "edit", "delete")),
        _grant(("companies",), "all", ("view",)),
        _grant(("reports",), "own", ("view",)),
    )),
    "marketing": ("Marketing", _merge(
        _grant(("contacts", "companies", "leads"), "all", ("view", "create", "edit", "import", "export")),
        _grant(("campaigns", "reports"), "all", ("view", "create", "edit", "delete")),
        _grant(("consent",), "all", ("view",)),
    )),
    "support": ("Support", _merge(
        _grant(("contacts", "companies"), "all", ("view", "edit")),
        _grant(("activities", "tasks", "files"), "all", ("view", "create", "edit")),
    )),
    "read-only": ("Read-only", _grant((*_CRM, "campaigns", "reports"), "all", ("view",))),
}  # fmt: skip


def scope_rank(scope: str) -> int:
    return SCOPES.index(scope) if scope in SCOPES else 0


def normalize(permissions: dict[str, dict[str, str]]) -> Permissions:
    """Keep only known objects, actions and scopes (input from forms and the API goes through this)."""
    clean: Permissions = {}
    for obj, actions in permissions.items():
        if obj not in OBJECTS or not isinstance(actions, dict):
            continue
        kept = {action: scope for action, scope in actions.items() if action in ACTIONS and scope in SCOPES}
        if kept:
            clean[obj] = kept
    return clean
