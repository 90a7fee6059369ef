"""Invitations, and what a tenant's role may see of the platform's membership tables (frozen).

Tenant admin pages run inside the tenant's context, as the tenant's role. They need the tenant's members
(``memberships`` joined to ``users``) and its invitations, and nothing of any other tenant. Row-level
security says exactly that, so a forgotten ``WHERE tenant_id`` is refused by PostgreSQL as it is for tenant
tables:

- ``tenants``: the tenant group role may read ``id`` and ``db_role`` only (the policies map the current role
  to its tenant with them);
- ``memberships``: read the rows of the current tenant; change only ``role`` and ``is_active`` on them;
- ``users``: read the non-secret columns (never ``password_hash``) of users who are members of the current
  tenant;
- ``invitations``: read, add and change the current tenant's rows.

The app's login owns these tables, so it bypasses the policies (no ``FORCE``): sign-up, sign-in, accepting an
invitation and the tenant resolver work as before.
"""

from sampark.platform.db.migrations.v0002_tenant_group import TENANT_GROUP_ROLE
from sampark.platform.db.steps import SchemaStep

# The tenant whose role is running the query: an InitPlan, evaluated once per statement.
_OWN_TENANT = "(SELECT t.id FROM public.tenants t WHERE t.db_role = current_user::text)"
_USER_COLUMNS = "id, email, full_name, is_active, locale, time_zone, created_at, last_login_at"

STEP = SchemaStep(
    version=3,
    name="invitations",
    statements=(
        'CREATE TABLE "public"."invitations" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "tenant_id" BIGINT REFERENCES "public"."tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "email" VARCHAR(320) NOT NULL DEFAULT \'\', "role" VARCHAR(32) NOT NULL DEFAULT \'\', "invited_by_user_id" BIGINT DEFAULT null, "nonce" VARCHAR(64) NOT NULL DEFAULT \'\', "token_hash" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\', "locale" VARCHAR(16) NOT NULL DEFAULT \'\', "expires_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "sent_at" TIMESTAMPTZ DEFAULT null, "accepted_at" TIMESTAMPTZ DEFAULT null, "accepted_user_id" BIGINT DEFAULT null, "revoked_at" TIMESTAMPTZ DEFAULT null, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX invitations_tenant_id ON "public"."invitations" USING btree ("tenant_id")',
        f'GRANT SELECT (id, db_role) ON "public"."tenants" TO {TENANT_GROUP_ROLE}',
        # memberships
        f'GRANT SELECT ON "public"."memberships" TO {TENANT_GROUP_ROLE}',
        f'GRANT UPDATE (role, is_active) ON "public"."memberships" TO {TENANT_GROUP_ROLE}',
        'ALTER TABLE "public"."memberships" ENABLE ROW LEVEL SECURITY',
        f'CREATE POLICY memberships_own_tenant ON "public"."memberships" TO {TENANT_GROUP_ROLE}'
        f" USING (tenant_id = {_OWN_TENANT}) WITH CHECK (tenant_id = {_OWN_TENANT})",
        # users
        f'GRANT SELECT ({_USER_COLUMNS}) ON "public"."users" TO {TENANT_GROUP_ROLE}',
        'ALTER TABLE "public"."users" ENABLE ROW LEVEL SECURITY',
        # The subquery reads memberships under that table's own policy: the current tenant's members only.
        f'CREATE POLICY users_own_members ON "public"."users" FOR SELECT TO {TENANT_GROUP_ROLE}'
        ' USING (id IN (SELECT m.user_id FROM "public"."memberships" m))',
        # invitations
        f'GRANT SELECT, INSERT, UPDATE ON "public"."invitations" TO {TENANT_GROUP_ROLE}',
        f'GRANT USAGE ON SEQUENCE "public"."invitations_id_seq" TO {TENANT_GROUP_ROLE}',
        'ALTER TABLE "public"."invitations" ENABLE ROW LEVEL SECURITY',
        f'CREATE POLICY invitations_own_tenant ON "public"."invitations" TO {TENANT_GROUP_ROLE}'
        f" USING (tenant_id = {_OWN_TENANT}) WITH CHECK (tenant_id = {_OWN_TENANT})",
    ),
)
