"""Shared steps of the consent tests: a role that sees only its own contacts' consent, and recording answers.

Answers default to SMS marketing: e-mail marketing grants in EU workspaces wait for double opt-in
(test_double_opt_in.py covers those).
"""

from __future__ import annotations

from typing import Any

from sampark.platform.tenancy.context import TenantRecord
from sampark.tenants.access.roles import RoleInput, create_role
from sampark.tenants.consent.services import record_consent
from tests.support.web import Member, acting_in

OWN = ("view", "create", "edit", "delete")


async def own_consent_role(tenant: TenantRecord, admin: Member) -> str:
    """A custom role: own contacts, and view/edit consent of them only (built-in Sales has no consent right)."""
    async with acting_in(tenant, admin):
        role = await create_role(
            RoleInput(
                "Field sales",
                {"contacts": dict.fromkeys(OWN, "own"), "consent": dict.fromkeys(("view", "edit"), "own")},
            )
        )
    return role.key


async def grant(contact_id: int, purpose: str = "sms_marketing", **fields: Any) -> Any:
    return await record_consent(
        contact_id, purpose, "grant",
        lawful_basis=fields.get("lawful_basis", "consent"), source=fields.get("source", "form"),
        evidence=fields.get("evidence", "Ticked the newsletter box on the signup form"),
        expected_version=fields.get("expected_version"),
    )  # fmt: skip


async def withdraw(contact_id: int, purpose: str = "sms_marketing", **fields: Any) -> Any:
    return await record_consent(
        contact_id, purpose, "withdraw", source=fields.get("source", "email"),
        evidence=fields.get("evidence", "Replied STOP"), expected_version=fields.get("expected_version"),
    )  # fmt: skip
