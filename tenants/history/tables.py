"""Indexes the record history needs on the audit log (the table itself belongs to tenants/audit)."""

# A record's history is read newest first by (object type, object id): without this, every detail page
# would scan the whole audit log.
HISTORY_INDEXES = ('CREATE INDEX audit_log_object ON "audit_log" ("object_type", "object_id", "id")',)
