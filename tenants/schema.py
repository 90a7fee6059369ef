"""The tenant schema: every tenant table in creation order and the steps that build it."""

from sampark.platform.db.steps import discover_steps
from sampark.platform.tenancy.schema import TenantSchema
from sampark.tenants.access.seed import builtin_role_statements
from sampark.tenants.access.tables import ACCESS_INDEXES, Role, Team, TeamMember
from sampark.tenants.activities import services as _activity_hooks  # noqa: F401  (registers its link hooks)
from sampark.tenants.activities.tables import ACTIVITY_DDL, Activity, ActivityLink
from sampark.tenants.audit.tables import AUDIT_INDEXES, AuditEntry
from sampark.tenants.companies.tables import COMPANY_DDL, Company
from sampark.tenants.consent import links as _consent_hooks  # noqa: F401  (consent follows deletes and merges)
from sampark.tenants.consent.tables import CONSENT_DDL, Consent, ConsentConfirmation, ConsentEvent
from sampark.tenants.contacts.tables import CONTACT_DDL, Contact
from sampark.tenants.currencies.tables import EXCHANGE_RATE_DDL, ExchangeRate
from sampark.tenants.customfields.tables import CUSTOM_FIELD_DDL, CustomField, ListColumns, SavedView
from sampark.tenants.deals.tables import DEAL_DDL, Deal, DealContact, DealStageChange
from sampark.tenants.files import services as _file_hooks  # noqa: F401  (deleted records take their files along)
from sampark.tenants.files.tables import FILE_DDL, File, FileAccess, FileVersion
from sampark.tenants.history.tables import HISTORY_INDEXES
from sampark.tenants.jobs.tables import JobReceipt
from sampark.tenants.leads.tables import LEAD_DDL, Lead
from sampark.tenants.mailtemplates.tables import MAIL_TEMPLATE_DDL, MailTemplate
from sampark.tenants.pipelines.seed import default_pipeline_statements
from sampark.tenants.pipelines.tables import PIPELINE_DDL, Pipeline, Stage
from sampark.tenants.settings.tables import TenantSetting
from sampark.tenants.tasks.tables import TASK_DDL, CalendarFeed, Notification, Task

TENANT_SCHEMA = TenantSchema(
    tables=(
        Company,
        Contact,
        AuditEntry,
        JobReceipt,
        Role,
        Pipeline,  # before Team: a team names its default pipeline
        Stage,
        Team,
        TeamMember,
        TenantSetting,
        Deal,
        DealContact,
        DealStageChange,
        Activity,
        ActivityLink,
        File,
        FileVersion,
        FileAccess,
        Task,
        Notification,
        CalendarFeed,
        Lead,
        CustomField,
        SavedView,
        ListColumns,
        MailTemplate,
        ExchangeRate,
        Consent,
        ConsentEvent,
        ConsentConfirmation,
    ),
    steps=discover_steps("sampark.tenants.migrations"),
    append_only=frozenset({AuditEntry._meta.tablename, ConsentEvent._meta.tablename}),
    seed=(*builtin_role_statements(), *default_pipeline_statements()),
    extra_ddl=(
        *ACCESS_INDEXES,
        *COMPANY_DDL,
        *CONTACT_DDL,
        *HISTORY_INDEXES,
        *AUDIT_INDEXES,
        *PIPELINE_DDL,
        *DEAL_DDL,
        *ACTIVITY_DDL,
        *FILE_DDL,
        *TASK_DDL,
        *LEAD_DDL,
        *CUSTOM_FIELD_DDL,
        *MAIL_TEMPLATE_DDL,
        *EXCHANGE_RATE_DDL,
        *CONSENT_DDL,
    ),
)
