"""The tenant registry, in the ``public`` schema."""

from piccolo.columns import BigSerial, Boolean, Integer, Timestamptz, Varchar
from piccolo.table import Table


class TenantStatus:
    ACTIVE = "active"
    SUSPENDED = "suspended"
    # Set in its own committed transaction before the schema is dropped, so new requests stop reaching it.
    DROPPING = "dropping"


class Tenant(Table, schema="public", tablename="tenants"):
    """One company. Its CRM data lives in ``schema_name``, reachable only by ``db_role``."""

    id = BigSerial(primary_key=True)
    slug = Varchar(length=63, unique=True)
    name = Varchar(length=200)
    region = Varchar(length=16)
    placement = Varchar(length=63, default="default")
    status = Varchar(length=16, default=TenantStatus.ACTIVE)
    schema_name = Varchar(length=63, unique=True)
    db_role = Varchar(length=63, unique=True)
    schema_version = Integer(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    require_2fa = Boolean(default=False)  # members must use two-factor authentication (platform step v0004)
    sso_only = Boolean(default=False)  # members sign in through the tenant's SSO only (platform step v0007)
