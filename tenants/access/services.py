"""Tenant administration: members and invitations, and handing records from one member to another.

Roles are in ``roles.py`` and teams in ``teams.py`` beside this module. Everything runs inside a tenant
context as a principal, checks ``require("users"|"roles"|"teams", ...)`` first and audits each change in the
same transaction. Two rules hold throughout:

- nobody grants more than they hold: a role can only be created, edited or assigned by someone whose own
  role reaches at least as far for every object and action (so ``users.edit`` alone cannot make an admin);
- a tenant always keeps an active member with the built-in ``admin`` role.
"""

from __future__ import annotations

from dataclasses import dataclass

from piccolo.table import Table

from sampark.platform.i18n import gettext as _
from sampark.platform.identity import invitations, members
from sampark.platform.identity.invitations import InvitationRecord
from sampark.platform.identity.members import MemberPage, MemberRecord
from sampark.platform.identity.users import UserRecord, normalize_email, validate_email
from sampark.platform.tenancy.context import current_tenant, tenant_connection, tenant_context
from sampark.tenants.access.catalog import Permissions, scope_rank
from sampark.tenants.access.policy import PermissionDenied, Principal, current_principal, require
from sampark.tenants.access.tables import Role
from sampark.tenants.audit.services import record_change
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.companies.tables import Company
from sampark.tenants.contacts.tables import Contact

ADMIN_ROLE = "admin"
PAGE_SIZE = 25


class AdminError(ValueError):
    """A change refused. ``code`` is stable (the API returns it); ``errors`` maps form fields to messages."""

    def __init__(self, code: str, errors: dict[str, str] | None = None) -> None:
        self.code = code
        self.errors = errors or {}
        super().__init__(f"{code}: {'; '.join(f'{k}: {v}' for k, v in self.errors.items())}")

    @property
    def message(self) -> str:
        return next(iter(self.errors.values()), self.code)


# --- Records that belong to a member, and move when they leave -------------------------------------------


@dataclass(frozen=True)
class Transferable:
    """A kind of record with an owner: ``object_type`` from the catalog, its table and owner column."""

    object_type: str
    audit_type: str
    table: type[Table]
    owner_column: str = "owner_id"
    # A fixed SQL condition limiting which of them move (``status = 'open'``: won deals keep who won them).
    only: str = ""

    def where(self, owner_parameter: str) -> str:
        """The SQL condition selecting the records that move, the old owner bound as ``owner_parameter``."""
        condition = f'"{self.owner_column}" = {owner_parameter}'
        return f"{condition} AND ({self.only})" if self.only else condition


# Features with owned records add themselves here (one line each); a transfer moves all of them at once.
TRANSFERABLE: list[Transferable] = [
    Transferable("contacts", "contact", Contact),
    Transferable("companies", "company", Company),
]


def register_transferable(item: Transferable) -> None:
    if all(existing.table is not item.table for existing in TRANSFERABLE):
        TRANSFERABLE.append(item)


def _columns(table: type[Table]) -> set[str]:
    return {column._meta.db_column_name for column in table._meta.columns}


async def _move(item: Transferable, from_user: int, to_user: int) -> list[int]:
    columns = _columns(item.table)
    if item.owner_column not in columns:
        raise ValueError(f"{item.table._meta.tablename} has no column {item.owner_column}")
    # Identifiers come from the registry above, never from input; the owner ids are bound parameters.
    owner = f'"{item.owner_column}"'
    extra = ', "version" = "version" + 1' if "version" in columns else ""
    extra += ', "updated_at" = now()' if "updated_at" in columns else ""
    rows = await tenant_connection().fetch(
        f'UPDATE "{item.table._meta.tablename}" SET {owner} = $1{extra} WHERE {item.where("$2")} RETURNING id',
        to_user,
        from_user,
    )
    return [row["id"] for row in rows]


async def transferable_counts(user_id: int) -> dict[str, int]:
    """How many records of each transferable kind ``user_id`` owns."""
    require("users", "view", record=False)
    counts = {}
    for item in TRANSFERABLE:
        query = f'SELECT count(*) FROM "{item.table._meta.tablename}" WHERE {item.where("$1")}'
        counts[item.object_type] = int(await tenant_connection().fetchval(query, user_id))
    return counts


async def transfer_records(from_user_id: int, to_user_id: int) -> dict[str, int]:
    """Give every record ``from_user_id`` owns to ``to_user_id``, in one transaction, each move audited.

    Raises:
        PermissionDenied: the principal may not edit users, or may not edit all records of a kind.
        AdminError: ``not_found`` (no such member) or ``validation_failed`` (the target is not an active
            member, or is the same person).
    """
    principal = require("users", "edit", record=False)
    for item in TRANSFERABLE:
        if principal.scope(item.object_type, "edit") != "all":
            raise PermissionDenied(item.object_type, "edit")
    tenant_id = current_tenant().id
    if await members.get_member(tenant_id, from_user_id) is None:
        raise AdminError("not_found")
    target = await members.get_member(tenant_id, to_user_id)
    if target is None or not target.is_active or to_user_id == from_user_id:
        raise AdminError(
            "validation_failed", {"to_user_id": _("Choose another active member to receive the records.")}
        )
    moved: dict[str, int] = {}
    for item in TRANSFERABLE:
        ids = await _move(item, from_user_id, to_user_id)
        moved[item.object_type] = len(ids)
        change = {"owner_id": {"before": from_user_id, "after": to_user_id}}
        for start in range(0, len(ids), 500):
            await AuditEntry.insert(
                *[
                    AuditEntry(
                        actor_user_id=principal.user_id,
                        action="update",
                        object_type=item.audit_type,
                        object_id=record_id,
                        changes=change,
                    )
                    for record_id in ids[start : start + 500]
                ]
            )
    await record_change(
        "transfer",
        "member",
        from_user_id,
        actor_user_id=principal.user_id,
        before={"owner_id": from_user_id},
        after={"owner_id": to_user_id, **moved},
    )
    return moved


# --- Members and invitations -----------------------------------------------------------------------------


async def member_page(page: int = 1) -> MemberPage:
    require("users", "view", record=False)
    return await members.list_members(current_tenant().id, page=page, page_size=PAGE_SIZE)


async def get_member(user_id: int) -> MemberRecord | None:
    require("users", "view", record=False)
    return await members.get_member(current_tenant().id, user_id)


async def active_members() -> list[MemberRecord]:
    require("users", "view", record=False)
    return await members.active_members(current_tenant().id)


async def open_invitations() -> list[InvitationRecord]:
    require("users", "view", record=False)
    return await invitations.open_invitations(current_tenant().id)


def exceeds(principal: Principal, permissions: Permissions) -> bool:
    """True when ``permissions`` reach further than the principal's own for any object and action."""
    return any(
        scope_rank(scope) > scope_rank(principal.scope(obj, action))
        for obj, actions in permissions.items()
        for action, scope in actions.items()
    )


def check_grantable(permissions: Permissions, field: str = "role") -> None:
    """Refuse (``privilege_escalation``) permissions that reach further than the principal's own."""
    if exceeds(current_principal(), permissions):
        raise AdminError(
            "privilege_escalation", {field: _("You cannot grant permissions beyond those of your own role.")}
        )


async def _role_permissions(key: str) -> Permissions | None:
    row = await Role.select(Role.permissions).where(Role.key == key).output(load_json=True).first()
    return row["permissions"] if row else None


async def _assignable(key: str) -> None:
    permissions = await _role_permissions(key)
    if permissions is None:
        raise AdminError("validation_failed", {"role": _("Choose one of the roles.")})
    check_grantable(permissions)


async def _keep_an_admin(tenant_id: int, user_id: int) -> None:
    if not set(await members.lock_active_with_role(tenant_id, ADMIN_ROLE)) - {user_id}:
        raise AdminError("last_admin", {"role": _("The workspace must keep at least one active admin.")})


async def invite_member(email: str, role: str, *, secret_key: str, locale: str = "") -> InvitationRecord:
    """Invite ``email`` with ``role``; the mail goes out through the outbox when this transaction commits."""
    principal = require("users", "create", record=False)
    email = normalize_email(email)
    errors: dict[str, str] = {}
    if problem := validate_email(email):
        errors["email"] = problem
    if await _role_permissions(role) is None:
        errors["role"] = _("Choose one of the roles.")
    if errors:
        raise AdminError("validation_failed", errors)
    await _assignable(role)
    tenant_id = current_tenant().id
    existing = await members.get_member_by_email(tenant_id, email)
    if existing is not None:
        message = (
            _("This person is already a member.")
            if existing.is_active
            else _("This person is a deactivated member: reactivate them instead.")
        )
        raise AdminError("already_member", {"email": message})
    if await invitations.open_invitation_for(tenant_id, email) is not None:
        raise AdminError(
            "already_invited", {"email": _("An invitation to this address is pending; you can resend it.")}
        )
    invitation = await invitations.create_invitation(
        secret_key, tenant_id, email, role, invited_by_user_id=principal.user_id, locale=locale
    )
    await record_change(
        "create",
        "invitation",
        invitation.id,
        actor_user_id=principal.user_id,
        after={"email": email, "role": role},
    )
    return invitation


async def resend_invitation(invitation_id: int, *, secret_key: str) -> InvitationRecord:
    """A new link (the old one dies) with a fresh expiry, mailed again."""
    principal = require("users", "create", record=False)
    renewed = await invitations.renew_invitation(secret_key, current_tenant().id, invitation_id)
    if renewed is None:
        raise AdminError("not_found")
    await record_change(
        "resend",
        "invitation",
        invitation_id,
        actor_user_id=principal.user_id,
        after={"expires_at": renewed.expires_at},
    )
    return renewed


async def revoke_invitation(invitation_id: int) -> InvitationRecord:
    principal = require("users", "delete", record=False)
    revoked = await invitations.revoke_invitation(current_tenant().id, invitation_id)
    if revoked is None:
        raise AdminError("not_found")
    await record_change(
        "revoke",
        "invitation",
        invitation_id,
        actor_user_id=principal.user_id,
        before={"status": "pending"},
        after={"status": "revoked"},
    )
    return revoked


async def _editable_member(user_id: int) -> MemberRecord:
    member = await members.get_member(current_tenant().id, user_id)
    if member is None:
        raise AdminError("not_found")
    # Changing someone whose role reaches further than yours would let you take an admin's access away.
    check_grantable(await _role_permissions(member.role) or {})
    return member


async def change_member_role(user_id: int, role: str) -> MemberRecord:
    """Give a member another role; it applies from their next request."""
    principal = require("users", "edit", record=False)
    member = await _editable_member(user_id)
    if role == member.role:
        return member
    await _assignable(role)
    tenant_id = current_tenant().id
    if member.role == ADMIN_ROLE and member.is_active:
        await _keep_an_admin(tenant_id, user_id)
    updated = await members.update_membership(tenant_id, user_id, role=role)
    assert updated is not None
    await record_change(
        "update",
        "member",
        user_id,
        actor_user_id=principal.user_id,
        before={"role": member.role},
        after={"role": role},
    )
    return updated


async def set_member_active(user_id: int, active: bool) -> MemberRecord:
    """Deactivate (their next request answers 404) or reactivate a member's access to this tenant."""
    principal = require("users", "edit", record=False)
    if not active and user_id == principal.user_id:
        raise AdminError("self_deactivation", {"user": _("You cannot deactivate yourself.")})
    member = await _editable_member(user_id)
    if member.is_active == active:
        return member
    tenant_id = current_tenant().id
    if not active and member.role == ADMIN_ROLE:
        await _keep_an_admin(tenant_id, user_id)
    updated = await members.update_membership(tenant_id, user_id, is_active=active)
    assert updated is not None
    await record_change(
        "update",
        "member",
        user_id,
        actor_user_id=principal.user_id,
        before={"is_active": member.is_active},
        after={"is_active": active},
    )
    return updated


async def record_member_joined(invitation: InvitationRecord, user: UserRecord) -> None:
    """Audit an accepted invitation in the tenant's log (joins the accepting transaction)."""
    async with tenant_context(tenant_id=invitation.tenant_id):
        await record_change(
            "create",
            "member",
            user.id,
            actor_user_id=user.id,
            after={"email": user.email, "role": invitation.role, "invitation_id": invitation.id},
        )
