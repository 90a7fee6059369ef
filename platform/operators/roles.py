"""Operator roles: what each kind of operator may do in the console.

Roles are cumulative: ``viewer`` sees the console and tenants' data read-only, ``support`` may also elevate
into a tenant (and act there as its admin for a while), ``admin`` may also suspend and resume tenants and
manage operators. The web layer asks ``allows`` to hide what a role cannot do and ``require`` to refuse it.
"""

from __future__ import annotations

from sampark.platform.i18n import lazy_gettext

VIEWER, SUPPORT, ADMIN = "viewer", "support", "admin"
ROLES = (VIEWER, SUPPORT, ADMIN)
DEFAULT_ROLE = VIEWER

# What each role may do; each role's list includes the ones before it.
VIEW, ELEVATE, CHANGE_STATUS, MANAGE_OPERATORS = "view", "elevate", "change_status", "manage_operators"
_GRANTS = {
    VIEWER: frozenset({VIEW}),
    SUPPORT: frozenset({VIEW, ELEVATE}),
    ADMIN: frozenset({VIEW, ELEVATE, CHANGE_STATUS, MANAGE_OPERATORS}),
}

ROLE_LABELS = {
    VIEWER: lazy_gettext("Viewer"),
    SUPPORT: lazy_gettext("Support"),
    ADMIN: lazy_gettext("Admin"),
}


class OperatorForbidden(Exception):
    """The operator's role does not allow ``capability``."""

    def __init__(self, role: str, capability: str) -> None:
        super().__init__(f"operator role {role!r} may not {capability}")
        self.role = role
        self.capability = capability


def allows(role: str, capability: str) -> bool:
    """Whether ``role`` may do ``capability`` (an unknown role may do nothing)."""
    return capability in _GRANTS.get(role, frozenset())


def require(role: str, capability: str) -> None:
    """Raise OperatorForbidden unless ``role`` may do ``capability``."""
    if not allows(role, capability):
        raise OperatorForbidden(role, capability)
