"""The database's life in a process: every table class loaded and bound, the pools started and closed.

This sits above ``platform/db`` and the features whose tables it lists, so nothing in ``platform/db`` imports a
feature back (the table registry used to live in ``platform/db/tables.py`` and closed a circle through identity).
"""

from __future__ import annotations

from piccolo.engine.postgres import PostgresEngine

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.config.settings import Settings
from sampark.platform.db.engine import (
    ENGINE,
    bind_tables,
    engine_config,
    engine_is_open,
    mark_open,
    pool_options,
)
from sampark.platform.db.placements import close_placements, open_placements
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
from sampark.platform.tenancy.schema import load_tenant_schema
from sampark.platform.tenancy.tables import Tenant

# Every table in the ``public`` schema, in creation order.
PLATFORM_TABLES = (
    *(Tenant, User, Membership, OperatorAudit, OutboxMessage, Invitation),
    *(PasswordReset, RecoveryCode, ServiceAccount, ApiKey, AuthEvent),
    Operator,
    ReminderQueueEntry,
    TenantSso,
    OperatorRecoveryCode,
)


def load_schema() -> None:
    """Import every table class (platform and tenant) and bind them to ``ENGINE``."""
    load_tenant_schema()
    bind_tables(ENGINE)


async def open_engine(settings: Settings) -> PostgresEngine:
    """Start the pool on ``settings.database_url`` and bind the tables; idempotent."""
    if not engine_is_open():
        assert settings.database_url, "database_url must be resolved before the engine opens"
        load_schema()
        ENGINE.config = engine_config(settings.database_url)
        await ENGINE.start_connection_pool(**pool_options(settings.db_pool_size))
        await open_placements(settings)
        mark_open(True)
    return ENGINE


async def close_engine() -> None:
    if engine_is_open():
        await close_placements()
        await ENGINE.close_connection_pool()
        mark_open(False)
