"""The reminder queue (frozen): tasks' pending reminders of every tenant in one indexed table.

The scheduler finds due reminders with one index range scan on ``remind_at`` instead of visiting every tenant
schema each minute. A tenant's role writes its own rows in the same transaction as the task change; like the
outbox, the privilege comes through the tenant group role (v0002), and row-level security keyed on the tenant
(as for invitations in v0003) keeps each tenant to its own rows. Reading is granted only because PostgreSQL
needs it for the WHERE of a DELETE and ON CONFLICT; the policy limits that to the tenant's own rows too.
"""

from sampark.platform.db.migrations.v0002_tenant_group import TENANT_GROUP_ROLE
from sampark.platform.db.steps import SchemaStep

_OWN_TENANT = "(SELECT t.id FROM public.tenants t WHERE t.db_role = current_user::text)"

STEP = SchemaStep(
    version=6,
    name="reminder_queue",
    statements=(
        'CREATE TABLE IF NOT EXISTS "public"."reminder_queue" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "tenant_id" BIGINT NOT NULL DEFAULT 0, "task_id" BIGINT NOT NULL DEFAULT 0, "remind_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX IF NOT EXISTS reminder_queue_remind_at ON "public"."reminder_queue" USING btree ("remind_at")',
        # One pending reminder per task: a change replaces it.
        'CREATE UNIQUE INDEX IF NOT EXISTS reminder_queue_task ON "public"."reminder_queue" USING btree ("tenant_id", "task_id")',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON "public"."reminder_queue" TO {TENANT_GROUP_ROLE}',
        f'GRANT USAGE ON SEQUENCE "public"."reminder_queue_id_seq" TO {TENANT_GROUP_ROLE}',
        'ALTER TABLE "public"."reminder_queue" ENABLE ROW LEVEL SECURITY',
        'DROP POLICY IF EXISTS reminder_queue_own_tenant ON "public"."reminder_queue"',
        f'CREATE POLICY reminder_queue_own_tenant ON "public"."reminder_queue" TO {TENANT_GROUP_ROLE}'
        f" USING (tenant_id = {_OWN_TENANT}) WITH CHECK (tenant_id = {_OWN_TENANT})",
    ),
)
