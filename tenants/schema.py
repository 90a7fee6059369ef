"""The tenant schema: every tenant table in creation order and the steps that build it."""

from sampark.platform.db.steps import discover_steps
from sampark.platform.tenancy.schema import TenantSchema
from sampark.tenants.access.seed import builtin_role_statements
from sampark.tenants.access.tables import ACCESS_INDEXES, Role, Team, TeamMember
from sampark.tenants.audit.tables import AUDIT_INDEXES, AuditEntry
from sampark.tenants.companies.tables import COMPANY_DDL, Company
from sampark.tenants.contacts.tables import CONTACT_DDL, Contact
from sampark.tenants.customfields.tables import CUSTOM_FIELD_DDL, CustomField, ListColumns, SavedView
from sampark.tenants.history.tables import HISTORY_INDEXES
from sampark.tenants.jobs.tables import JobReceipt
from sampark.tenants.settings.tables import TenantSetting

TENANT_SCHEMA = TenantSchema(
    tables=(
        Company,
        Contact,
        AuditEntry,
        JobReceipt,
        Role,
        Team,
        TeamMember,
        TenantSetting,
        CustomField,
        SavedView,
        ListColumns,
    ),
    steps=discover_steps("sampark.tenants.migrations"),
    append_only=frozenset({AuditEntry._meta.tablename}),
    seed=builtin_role_statements(),
    extra_ddl=(
        *ACCESS_INDEXES,
        *COMPANY_DDL,
        *CONTACT_DDL,
        *HISTORY_INDEXES,
        *AUDIT_INDEXES,
        *CUSTOM_FIELD_DDL,
    ),
)
