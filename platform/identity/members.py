"""Membership administration: a tenant's members with their user details, role and active flag.

These are ``public`` tables, and the functions run inside the tenant's context (the admin pages): platform
step 3 gives the tenant role read access to its own memberships and to the users who are its members, and
lets it change only ``role`` and ``is_active`` of its own memberships (row-level security). Every query also
names the tenant explicitly, so the functions give the same answers as the app role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from piccolo.query.functions.aggregate import Count

from sampark.platform.identity.tables import Membership

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class MemberRecord:
    """One member of a tenant: the membership (role, active) and the user it belongs to."""

    user_id: int
    email: str
    full_name: str
    role: str
    is_active: bool
    user_active: bool
    joined_at: datetime
    last_login_at: datetime | None

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


@dataclass(frozen=True)
class MemberPage:
    items: list[MemberRecord]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _select() -> Any:
    return Membership.select(
        Membership.user.id.as_alias("user_id"),
        Membership.user.email.as_alias("email"),
        Membership.user.full_name.as_alias("full_name"),
        Membership.role,
        Membership.is_active,
        Membership.user.is_active.as_alias("user_active"),
        Membership.created_at.as_alias("joined_at"),
        Membership.user.last_login_at.as_alias("last_login_at"),
    )


def _member(row: dict[str, Any]) -> MemberRecord:
    return MemberRecord(**{name: row[name] for name in MemberRecord.__dataclass_fields__})


def _filter(tenant_id: int, active: bool | None) -> Any:
    condition = Membership.tenant == tenant_id
    if active is not None:
        condition &= Membership.is_active == active
    return condition


async def list_members(
    tenant_id: int, *, page: int = 1, page_size: int = 25, active: bool | None = None
) -> MemberPage:
    """A page of members, active ones first, then by name; ``active`` filters on the membership flag."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    total = await Membership.count().where(_filter(tenant_id, active))
    pages = max(1, -(-total // page_size))
    page = max(1, min(page, pages))
    rows = await (
        _select()
        .where(_filter(tenant_id, active))
        .order_by(Membership.is_active, ascending=False)
        .order_by(Membership.user.full_name, Membership.user.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return MemberPage([_member(row) for row in rows], total, page, page_size)


async def get_member(tenant_id: int, user_id: int) -> MemberRecord | None:
    row = await _select().where((Membership.tenant == tenant_id) & (Membership.user == user_id)).first()
    return _member(row) if row else None


async def get_member_by_email(tenant_id: int, email: str) -> MemberRecord | None:
    row = await _select().where((Membership.tenant == tenant_id) & (Membership.user.email == email)).first()
    return _member(row) if row else None


async def active_members(tenant_id: int) -> list[MemberRecord]:
    """Every active member, by name (for pickers: team members, transfer targets)."""
    rows = await (
        _select().where(_filter(tenant_id, True)).order_by(Membership.user.full_name, Membership.user.id)
    )
    return [_member(row) for row in rows]


async def update_membership(
    tenant_id: int, user_id: int, *, role: str | None = None, is_active: bool | None = None
) -> MemberRecord | None:
    """Change a member's role and/or active flag; None when ``user_id`` is not a member of the tenant."""
    changes: dict[Any, Any] = {}
    if role is not None:
        changes[Membership.role] = role
    if is_active is not None:
        changes[Membership.is_active] = is_active
    if changes:
        await Membership.update(changes).where(
            (Membership.tenant == tenant_id) & (Membership.user == user_id)
        )
    return await get_member(tenant_id, user_id)


async def lock_active_with_role(tenant_id: int, role: str) -> list[int]:
    """Lock and return the user ids of the active members holding ``role``.

    Taking the locks before counting makes "keep at least one admin" hold when two admins demote or
    deactivate each other at the same moment: the second waits for the first and then sees its result.
    """
    rows = await (
        Membership.select(Membership.user.as_alias("user_id"))
        .where(
            (Membership.tenant == tenant_id) & (Membership.role == role) & (Membership.is_active == True)  # noqa: E712
        )
        .lock_rows("UPDATE")
    )
    return [row["user_id"] for row in rows]


async def role_usage(tenant_id: int) -> dict[str, int]:
    """How many memberships (active or not) hold each role key."""
    rows = await (
        Membership.select(Membership.role, Count(alias="count"))
        .where(Membership.tenant == tenant_id)
        .group_by(Membership.role)
    )
    return {row["role"]: row["count"] for row in rows}


async def active_member_profile(tenant_id: int, user_id: int) -> dict[str, Any] | None:
    """An active member's address, name, role, language and zone, or None when the user or membership is off.

    For tenant code that used to join ``public.users`` in its own SQL: through the table's engine this reads
    the home database wherever the tenant's placement is (docs/regions.md, data residency).
    """
    row: dict[str, Any] | None = await (
        Membership.select(
            Membership.user.email.as_alias("email"),
            Membership.user.full_name.as_alias("full_name"),
            Membership.user.locale.as_alias("locale"),
            Membership.user.time_zone.as_alias("time_zone"),
            Membership.role,
        )
        .where(
            (Membership.tenant == tenant_id)
            & (Membership.user == user_id)
            & (Membership.is_active == True)  # noqa: E712
            & (Membership.user.is_active == True)  # noqa: E712
        )
        .first()
    )
    return row
