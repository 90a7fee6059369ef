"""Who is who in the current tenant: member names for owners and for the "who" of record history.

Users and memberships live in ``public``; row-level security lets the tenant role read its own members there
(platform step v0003), so this runs on the request's own connection, in its transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sampark.platform.i18n import gettext as _
from sampark.platform.identity.members import active_members
from sampark.platform.tenancy.context import current_tenant


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str


async def members() -> dict[int, Person]:
    """Active members of the current tenant (with active accounts), by user id."""
    return {
        member.user_id: Person(member.user_id, member.display_name, member.email)
        for member in await active_members(current_tenant().id)
        if member.user_active
    }


async def is_member(user_id: int) -> bool:
    """Whether ``user_id`` is an active member of the current tenant."""
    return user_id in await members()


def label(people: dict[int, Person], user_id: int | None) -> str:
    """A display name for ``user_id``: the member's name, or a neutral placeholder."""
    if user_id is None:
        return _("System")
    person = people.get(user_id)
    return person.name if person else _("User #%(id)d", id=user_id)
