"""A group role every tenant role belongs to, holding what all tenants share (appending to the outbox).

Granting on ``public.outbox`` to each tenant role would update that table's ACL row from many concurrent
transactions (sign-ups, migration fan-out) and fail with "tuple concurrently updated"; a membership row per
tenant role does not contend.
"""

from sampark.platform.db.steps import SchemaStep

TENANT_GROUP_ROLE = "sampark_group_tenants"

STEP = SchemaStep(
    version=2,
    name="tenant_group",
    statements=(
        # Roles are cluster-wide: another database on the same server may have created it already.
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{TENANT_GROUP_ROLE}') THEN
                CREATE ROLE {TENANT_GROUP_ROLE} NOLOGIN;
            END IF;
        END $$""",
        f'GRANT INSERT ON "public"."outbox" TO {TENANT_GROUP_ROLE}',
        f'GRANT USAGE ON SEQUENCE "public"."outbox_id_seq" TO {TENANT_GROUP_ROLE}',
        f"""DO $$ DECLARE tenant record; BEGIN
            FOR tenant IN SELECT db_role FROM public.tenants LOOP
                EXECUTE format('GRANT {TENANT_GROUP_ROLE} TO %I', tenant.db_role);
                EXECUTE format('ALTER ROLE %I INHERIT', tenant.db_role);
            END LOOP;
        END $$""",
    ),
)
