"""Files on records: files, their versions and the access log ("who worked on this file").

Frozen: generated once from tenants/files/tables.py and ``FILE_DDL``; later changes are new steps.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=9,
    name="files",
    statements=(
        'CREATE TABLE IF NOT EXISTS "files" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "record_type" VARCHAR(32) NOT NULL DEFAULT \'\', "record_id" BIGINT NOT NULL DEFAULT 0, "name" VARCHAR(255) NOT NULL DEFAULT \'\', "current_version" INTEGER NOT NULL DEFAULT 1, "access_level" VARCHAR(16) NOT NULL DEFAULT \'everyone\', "access_role" VARCHAR(64) NOT NULL DEFAULT \'\', "owner_id" BIGINT DEFAULT null, "version" INTEGER NOT NULL DEFAULT 1, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX IF NOT EXISTS files_owner_id ON "files" USING btree ("owner_id")',
        'CREATE TABLE IF NOT EXISTS "file_versions" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "file_id" BIGINT REFERENCES "files" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "number" INTEGER NOT NULL DEFAULT 0, "storage_key" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\', "size" BIGINT NOT NULL DEFAULT 0, "content_type" VARCHAR(100) NOT NULL DEFAULT \'\', "sha256" VARCHAR(64) NOT NULL DEFAULT \'\', "uploaded_by" BIGINT DEFAULT null, "uploaded_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "note" VARCHAR(500) NOT NULL DEFAULT \'\')',
        'CREATE TABLE IF NOT EXISTS "file_access_log" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "file_id" BIGINT NOT NULL DEFAULT 0, "file_version" INTEGER DEFAULT null, "user_id" BIGINT DEFAULT null, "action" VARCHAR(16) NOT NULL DEFAULT \'\', "at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX IF NOT EXISTS files_record ON "files" ("record_type", "record_id", "id")',
        'CREATE UNIQUE INDEX IF NOT EXISTS file_versions_number ON "file_versions" ("file_id", "number")',
        'CREATE INDEX IF NOT EXISTS file_access_log_file ON "file_access_log" ("file_id", "id")',
    ),
)
