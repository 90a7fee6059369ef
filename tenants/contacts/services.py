"""Contact rules. Runs inside a tenant context as a principal; every read is scoped by the principal's role and
every change is audited. (The CRM core issue extends this.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import require, visible_owner_ids
from sampark.tenants.audit.services import record_change
from sampark.tenants.contacts.tables import Contact

OBJECT = "contacts"
MAX_PAGE_SIZE = 100
_FIELDS = ("first_name", "last_name", "email", "phone")


@dataclass(frozen=True)
class ContactView:
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    owner_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True)
class ContactPage:
    items: list[ContactView]
    next_cursor: int | None


class ContactError(ValueError):
    """Invalid contact input; ``errors`` maps field names to translated messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _view(row: dict[str, Any]) -> ContactView:
    return ContactView(**{name: row[name] for name in ContactView.__dataclass_fields__})


def _visible(query: Any) -> Any:
    """Limit a query to the contacts the principal may view (raises PermissionDenied for none)."""
    owners = visible_owner_ids(OBJECT)
    return query if owners is None else query.where(Contact.owner_id.is_in(list(owners)))


async def get_contact(contact_id: int) -> ContactView | None:
    """One contact, or None when it does not exist or the principal may not see it (callers answer 404)."""
    row = await _visible(Contact.select().where(Contact.id == contact_id)).first()
    return _view(row) if row else None


async def list_contacts(*, limit: int = 25, after: int | None = None) -> ContactPage:
    """A keyset page ordered by id; ``next_cursor`` is the id to pass as ``after`` for the next page."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    query = _visible(Contact.select().order_by(Contact.id).limit(limit + 1))
    if after is not None:
        query = query.where(Contact.id > after)
    rows = await query
    items = [_view(row) for row in rows[:limit]]
    return ContactPage(items, items[-1].id if len(rows) > limit else None)


async def count_contacts() -> int:
    owners = visible_owner_ids(OBJECT)
    if owners is None:
        return await Contact.count()
    return await Contact.count().where(Contact.owner_id.is_in(list(owners)))


def validate_contact(data: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.get("first_name", "").strip():
        errors["first_name"] = _("Enter a first name.")
    for field, limit in (("first_name", 100), ("last_name", 100), ("email", 320), ("phone", 32)):
        if len(data.get(field, "")) > limit:
            errors[field] = _("Use at most %(limit)d characters.", limit=limit)
    email = data.get("email", "")
    if email and ("@" not in email or email.startswith("@") or email.endswith("@")):
        errors["email"] = _("Enter a valid e-mail address.")
    return errors


async def create_contact(data: dict[str, str]) -> ContactView:
    """Create a contact owned by the acting user, and audit it.

    Raises:
        PermissionDenied: the principal may not create contacts.
        ContactError: with a message per invalid field.
    """
    principal = require(OBJECT, "create", record=False)
    clean = {field: data.get(field, "").strip() for field in _FIELDS}
    errors = validate_contact(clean)
    if errors:
        raise ContactError(errors)
    rows = await Contact.insert(Contact(**clean, owner_id=principal.user_id)).returning(
        *Contact.all_columns()
    )
    contact = _view(rows[0])
    await record_change(
        "create", "contact", contact.id, actor_user_id=principal.user_id,
        after={**clean, "owner_id": principal.user_id},
    )  # fmt: skip
    return contact
