"""The one permission check: who is acting (the principal) and what their role lets them do to which records.

Pages, the API, exports, searches and workers all go through ``require`` and ``visible_owner_ids``, so a rule
tightened here is tightened everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from sampark.platform.tenancy.context import tenant_connection
from sampark.tenants.access.catalog import BUILTIN_ROLES, Permissions, scope_rank


class PermissionDenied(PermissionError):
    """The principal may not do this. Callers answer 403 (or 404 where existence must not leak)."""

    def __init__(self, obj: str, action: str) -> None:
        super().__init__(f"not allowed to {action} {obj}")
        self.obj, self.action = obj, action


@dataclass(frozen=True)
class Principal:
    """Who is acting inside the current tenant, with their role's permissions and team reach."""

    user_id: int | None
    role_key: str
    permissions: Permissions
    hidden_fields: dict[str, list[str]] = field(default_factory=dict)
    team_ids: frozenset[int] = frozenset()
    # Everyone who shares a team with this user, the user included: the reach of the "team" scope.
    team_user_ids: frozenset[int] = frozenset()
    # Set when a service account acts (through its API key); ``user_id`` is then None.
    service_account_id: int | None = None

    def scope(self, obj: str, action: str) -> str:
        return self.permissions.get(obj, {}).get(action, "none")

    def can(self, obj: str, action: str) -> bool:
        return scope_rank(self.scope(obj, action)) > 0

    def hidden(self, obj: str) -> frozenset[str]:
        return frozenset(self.hidden_fields.get(obj, ()))

    @classmethod
    def system(cls) -> Principal:
        """The platform itself (migrations, demo seeding, jobs not on behalf of a user): everything."""
        return cls(user_id=None, role_key="system", permissions=BUILTIN_ROLES["admin"][1])


_current: ContextVar[Principal | None] = ContextVar("sampark_principal", default=None)


def current_principal() -> Principal:
    """The acting principal. Outside ``acting_as`` nothing is allowed (fail closed).

    Raises:
        PermissionDenied: no principal is set.
    """
    principal = _current.get()
    if principal is None:
        raise PermissionDenied("anything", "do")
    return principal


def current_principal_or_none() -> Principal | None:
    return _current.get()


@contextmanager
def acting_as(principal: Principal) -> Iterator[Principal]:
    token = _current.set(principal)
    try:
        yield principal
    finally:
        _current.reset(token)


def require(obj: str, action: str, owner_id: int | None = None, *, record: bool = True) -> Principal:
    """Allow ``action`` on ``obj`` (a record owned by ``owner_id``) or raise PermissionDenied.

    Args:
        obj: an object type from the catalog ("contacts", ...).
        action: "view", "create", "edit", "delete", "import" or "export".
        owner_id: the record's owner; checked against the role's scope.
        record: False for type-level actions (create, import, export) where no record exists yet.
    """
    principal = current_principal()
    scope = principal.scope(obj, action)
    allowed = (
        scope == "all"
        or (scope != "none" and not record)
        or (scope == "own" and owner_id is not None and owner_id == principal.user_id)
        or (scope == "team" and owner_id is not None and owner_id in principal.team_user_ids)
    )
    if not allowed:
        raise PermissionDenied(obj, action)
    return principal


def visible_owner_ids(obj: str, action: str = "view") -> frozenset[int] | None:
    """Owners whose records the principal may see: None for all records.

    Raises:
        PermissionDenied: the role may not ``action`` any ``obj``.
    """
    principal = current_principal()
    scope = principal.scope(obj, action)
    if scope == "all":
        return None
    if scope == "team":
        return principal.team_user_ids
    if scope == "own" and principal.user_id is not None:
        return frozenset({principal.user_id})
    raise PermissionDenied(obj, action)


# Role, teams and team mates in one round trip (this runs on every tenant request). A team's manager shares
# it with its members, listed or not: the manager reaches the members' records and they reach the manager's.
# ``team_ids`` (the teams whose defaults apply to the user) stays the teams the user is a member of.
_PRINCIPAL = """
SELECT r.permissions, r.hidden_fields,
       ARRAY(SELECT team_id FROM team_members WHERE user_id = $1) AS team_ids,
       ARRAY(WITH mine AS (SELECT team_id FROM team_members WHERE user_id = $1
                           UNION SELECT id FROM teams WHERE manager_user_id = $1)
             SELECT user_id FROM team_members WHERE team_id IN (SELECT team_id FROM mine)
             UNION
             SELECT manager_user_id FROM teams
             WHERE id IN (SELECT team_id FROM mine) AND manager_user_id IS NOT NULL) AS team_user_ids
FROM (SELECT 1) AS one LEFT JOIN roles r ON r.key = $2
"""


async def load_principal(user_id: int, role_key: str) -> Principal:
    """Build the principal for a member, inside the tenant's context. An unknown role grants nothing."""
    row = await tenant_connection().fetchrow(_PRINCIPAL, user_id, role_key)
    return Principal(
        user_id=user_id,
        role_key=role_key,
        permissions=json.loads(row["permissions"]) if row["permissions"] else {},
        hidden_fields=json.loads(row["hidden_fields"]) if row["hidden_fields"] else {},
        team_ids=frozenset(row["team_ids"]),
        team_user_ids=frozenset({user_id, *row["team_user_ids"]}),
    )


async def load_service_principal(service_account_id: int, role_key: str) -> Principal:
    """The principal of a service account: its role's permissions, no person, no teams (so "own" and "team"
    scopes reach no records; give service accounts roles with "all" for what they read)."""
    row = await tenant_connection().fetchrow(_PRINCIPAL, None, role_key)
    return Principal(
        user_id=None,
        role_key=role_key,
        permissions=json.loads(row["permissions"]) if row["permissions"] else {},
        hidden_fields=json.loads(row["hidden_fields"]) if row["hidden_fields"] else {},
        service_account_id=service_account_id,
    )
