"""Every table in the ``public`` schema, in creation order."""

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.identity.apikeys import ApiKey
from sampark.platform.identity.invitations import Invitation
from sampark.platform.identity.login_audit import AuthEvent
from sampark.platform.identity.reset import PasswordReset
from sampark.platform.identity.service_accounts import ServiceAccount
from sampark.platform.identity.sso_config import TenantSso
from sampark.platform.identity.tables import Membership, User
from sampark.platform.identity.two_factor import RecoveryCode
from sampark.platform.operators.tables import Operator, OperatorRecoveryCode
from sampark.platform.outbox.tables import OutboxMessage
from sampark.platform.reminders.tables import ReminderQueueEntry
from sampark.platform.tenancy.tables import Tenant

PLATFORM_TABLES = (
    *(Tenant, User, Membership, OperatorAudit, OutboxMessage, Invitation),
    *(PasswordReset, RecoveryCode, ServiceAccount, ApiKey, AuthEvent),
    Operator,
    ReminderQueueEntry,
    TenantSso,
    OperatorRecoveryCode,
)
