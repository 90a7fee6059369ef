"""Every table in the ``public`` schema, in creation order."""

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.identity.tables import Membership, User
from sampark.platform.outbox.tables import OutboxMessage
from sampark.platform.tenancy.tables import Tenant

PLATFORM_TABLES = (Tenant, User, Membership, OperatorAudit, OutboxMessage)
