"""Roles and teams, and the built-in roles.

The table DDL is frozen here; the built-in roles come from the catalog and are upserted, so a later step that
changes the catalog simply runs ``builtin_role_statements()`` again.
"""

from sampark.platform.db.steps import SchemaStep
from sampark.tenants.access.seed import builtin_role_statements
from sampark.tenants.access.tables import ACCESS_INDEXES

STEP = SchemaStep(
    version=2,
    name="access",
    statements=(
        'CREATE TABLE "roles" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "key" VARCHAR(63) UNIQUE NOT NULL DEFAULT \'\', "name" VARCHAR(100) NOT NULL DEFAULT \'\', "is_builtin" BOOLEAN NOT NULL DEFAULT false, "permissions" JSONB NOT NULL DEFAULT \'{}\', "hidden_fields" JSONB NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE "teams" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "name" VARCHAR(100) UNIQUE NOT NULL DEFAULT \'\', "manager_user_id" BIGINT DEFAULT null, "default_locale" VARCHAR(16) NOT NULL DEFAULT \'\', "default_time_zone" VARCHAR(64) NOT NULL DEFAULT \'\', "default_currency" VARCHAR(3) NOT NULL DEFAULT \'\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE "team_members" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "team_id" BIGINT REFERENCES "teams" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "user_id" BIGINT NOT NULL DEFAULT 0)',
        *ACCESS_INDEXES,
        *builtin_role_statements(),
    ),
)
