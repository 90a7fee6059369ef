"""Users and their tenant memberships, in the ``public`` schema."""

from piccolo.columns import BigInt, BigSerial, Boolean, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.platform.tenancy.tables import Tenant


class User(Table, schema="public", tablename="users"):
    """A person who can sign in. One user may belong to several tenants."""

    id = BigSerial(primary_key=True)
    email = Varchar(length=320, unique=True)
    full_name = Varchar(length=200)
    password_hash = Varchar(length=255)
    is_active = Boolean(default=True)
    locale = Varchar(length=16, default="")
    time_zone = Varchar(length=64, default="")
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)
    # Two-factor authentication (platform step v0004): the sealed TOTP secret, when it was turned on, and the
    # last time step accepted (a code at or before it is a replay).
    totp_secret = Varchar(length=255, default="")
    totp_enabled_at = Timestamptz(null=True, default=None)
    totp_last_step = BigInt(default=0)


class Membership(Table, schema="public", tablename="memberships"):
    """A user's place in one tenant, with a role name."""

    id = BigSerial(primary_key=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, db_column_name="user_id")
    tenant = ForeignKey(Tenant, on_delete=OnDelete.cascade, db_column_name="tenant_id")
    role = Varchar(length=32, default="admin")
    is_active = Boolean(default=True)
    created_at = Timestamptz()
