"""The tenant schema: every tenant table in creation order and the steps that build it."""

from sampark.platform.db.steps import discover_steps
from sampark.platform.tenancy.schema import TenantSchema
from sampark.tenants.access.seed import builtin_role_statements
from sampark.tenants.access.tables import ACCESS_INDEXES, Role, Team, TeamMember
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.jobs.tables import JobReceipt

TENANT_SCHEMA = TenantSchema(
    tables=(Contact, AuditEntry, JobReceipt, Role, Team, TeamMember),
    steps=discover_steps("sampark.tenants.migrations"),
    append_only=frozenset({AuditEntry._meta.tablename}),
    seed=builtin_role_statements(),
    extra_ddl=ACCESS_INDEXES,
)
