"""Audit log table; the tenant role may only read and append to it."""

from piccolo.columns import JSONB, BigInt, BigSerial, Timestamptz, Varchar
from piccolo.table import Table


class AuditEntry(Table, tablename="audit_log"):
    """One change to tenant data: who, what, when, and field-level before/after."""

    id = BigSerial(primary_key=True)
    actor_user_id = BigInt(null=True, default=None)
    action = Varchar(length=32)
    object_type = Varchar(length=64)
    object_id = BigInt(null=True, default=None)
    changes = JSONB(default="{}")
    created_at = Timestamptz()
    # The service account that acted through an API key (then ``actor_user_id`` is empty); tenant step v0013.
    actor_service_account_id = BigInt(null=True, default=None)


# The audit viewer filters by person and by date, newest first (tenants/audit/queries.py).
AUDIT_INDEXES = (
    'CREATE INDEX audit_log_actor ON "audit_log" ("actor_user_id", "id")',
    'CREATE INDEX audit_log_created ON "audit_log" ("created_at")',
)
