"""Tasks and reminders: the tasks table, in-app notifications, private calendar feeds (frozen).

Generated once from tenants/tasks/tables.py and ``TASK_DDL``; later changes are new steps.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=10,
    name="tasks",
    statements=(
        'CREATE TABLE IF NOT EXISTS "tasks" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "title" VARCHAR(200) NOT NULL DEFAULT \'\', "description" TEXT NOT NULL DEFAULT \'\', "due_at" TIMESTAMPTZ DEFAULT null, "all_day" BOOLEAN NOT NULL DEFAULT false, "due_date" DATE DEFAULT null, "assignee_id" BIGINT DEFAULT null, "owner_id" BIGINT DEFAULT null, "priority" VARCHAR(8) NOT NULL DEFAULT \'normal\', "status" VARCHAR(8) NOT NULL DEFAULT \'open\', "completed_at" TIMESTAMPTZ DEFAULT null, "completed_by" BIGINT DEFAULT null, "record_type" VARCHAR(32) NOT NULL DEFAULT \'\', "record_id" BIGINT DEFAULT null, "reminder" VARCHAR(8) NOT NULL DEFAULT \'none\', "remind_at" TIMESTAMPTZ DEFAULT null, "version" INTEGER NOT NULL DEFAULT 1, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX IF NOT EXISTS tasks_assignee_id ON "tasks" USING btree ("assignee_id")',
        'CREATE INDEX IF NOT EXISTS tasks_owner_id ON "tasks" USING btree ("owner_id")',
        'CREATE TABLE IF NOT EXISTS "notifications" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "user_id" BIGINT NOT NULL DEFAULT 0, "kind" VARCHAR(32) NOT NULL DEFAULT \'task_reminder\', "title" VARCHAR(300) NOT NULL DEFAULT \'\', "body" TEXT NOT NULL DEFAULT \'\', "url" VARCHAR(500) NOT NULL DEFAULT \'\', "task_id" BIGINT DEFAULT null, "read_at" TIMESTAMPTZ DEFAULT null, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE IF NOT EXISTS "calendar_feeds" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "user_id" BIGINT UNIQUE NOT NULL DEFAULT 0, "token_hash" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "last_used_at" TIMESTAMPTZ DEFAULT null)',
        'CREATE INDEX IF NOT EXISTS tasks_status_due ON "tasks" ("status", "due_at", "id")',
        'CREATE INDEX IF NOT EXISTS tasks_record ON "tasks" ("record_type", "record_id")',
        'CREATE INDEX IF NOT EXISTS notifications_user_list ON "notifications" ("user_id", "id")',
        'CREATE INDEX IF NOT EXISTS notifications_unread ON "notifications" ("user_id") WHERE "read_at" IS NULL',
    ),
)
