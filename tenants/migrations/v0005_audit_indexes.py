"""Indexes for the audit-log viewer's person and date filters."""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=5,
    name="audit_indexes",
    statements=(
        'CREATE INDEX IF NOT EXISTS audit_log_actor ON "audit_log" ("actor_user_id", "id")',
        'CREATE INDEX IF NOT EXISTS audit_log_created ON "audit_log" ("created_at")',
    ),
)
