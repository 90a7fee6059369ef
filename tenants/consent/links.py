"""What happens to consent when its contact is deleted or merged (registered as the ``consent`` link hooks).

Both run inside the contact's own delete or merge, which already checked the contacts permissions, so no
consent right is needed. Each change appends a consent event and an audit entry in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sampark.platform.db.sql import fetch, fetchrow
from sampark.platform.regions import ConsentModel
from sampark.tenants.access.policy import current_principal
from sampark.tenants.audit.services import record_change
from sampark.tenants.consent.schemas import OBJECT, PROTECTION
from sampark.tenants.consent.services import COLUMNS, EVENT, ROWS, consent_view, snapshot
from sampark.tenants.consent.tables import Consent
from sampark.tenants.records.links import register_link_hooks


async def _append_event(row: Any, action: str, contact_id: int) -> None:
    await fetchrow(
        Consent, EVENT, contact_id, row["purpose"], action, row["status"], row["lawful_basis"], row["source"],
        row["evidence"], current_principal().user_id,
    )  # fmt: skip


async def _contact_deleted(record_type: str, record_id: int) -> None:
    """The contact goes: its current consent goes with it (audited); the history stays as proof."""
    if record_type != "contact":
        return
    for row in await fetch(Consent, "DELETE FROM consents WHERE contact_id = $1 RETURNING *", record_id):
        await _append_event(row, "delete", record_id)
        await record_change(
            "delete", OBJECT, record_id, actor_user_id=current_principal().user_id,
            before=snapshot(consent_view(row, ConsentModel.OPT_IN), row["purpose"]),
        )  # fmt: skip


_MOVE = f"UPDATE consents SET contact_id = $2, version = version + 1 WHERE id = $1 RETURNING {COLUMNS}"
_TAKE = f"""
UPDATE consents SET status = $2, lawful_basis = $3, source = $4, evidence = $5, recorded_by = $6,
    recorded_at = $7, version = version + 1
WHERE id = $1 RETURNING {COLUMNS}
"""


async def _contact_merged(record_type: str, from_id: int, into_id: int) -> None:
    """The survivor keeps its consent unless the duplicate's is more protective (a withdrawal always wins);
    purposes only the duplicate recorded move over. Each change is an event and an audit entry."""
    if record_type != "contact":
        return
    # Open double opt-in links keep working: a pending answer that moves over is confirmed on the survivor.
    await fetch(
        Consent, "UPDATE consent_confirmations SET contact_id = $2 WHERE contact_id = $1", from_id, into_id
    )
    into_rows = {row["purpose"]: row for row in await fetch(Consent, ROWS, into_id)}
    for row in await fetch(Consent, ROWS, from_id):
        purpose, kept = row["purpose"], into_rows.get(row["purpose"])
        if kept is None:
            changed = await fetchrow(Consent, _MOVE, row["id"], into_id)
        elif PROTECTION.index(row["status"]) > PROTECTION.index(kept["status"]):
            changed = await fetchrow(
                Consent, _TAKE, kept["id"], row["status"], row["lawful_basis"], row["source"], row["evidence"],
                row["recorded_by"], row["recorded_at"],
            )  # fmt: skip
        else:
            continue
        await _append_event(changed, "merge", into_id)
        await record_change(
            "update" if kept else "create", OBJECT, into_id, actor_user_id=current_principal().user_id,
            before=snapshot(consent_view(kept, ConsentModel.OPT_IN), purpose) if kept else {},
            after={**snapshot(consent_view(changed, ConsentModel.OPT_IN), purpose), f"{purpose}.merged_from": from_id},
        )  # fmt: skip


register_link_hooks("consent", on_delete=_contact_deleted, on_merge=_contact_merged)
