"""Operator accounts, in ``public``, apart from tenant users: an operator is never a member of a tenant."""

from piccolo.columns import BigInt, BigSerial, Boolean, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Operator(Table, schema="public", tablename="operators"):
    """A platform operator. TOTP is mandatory: ``totp_enabled_at`` NULL means enrolment is still due."""

    id = BigSerial(primary_key=True)
    email = Varchar(length=320, unique=True)
    full_name = Varchar(length=200)
    password_hash = Varchar(length=255)
    is_active = Boolean(default=True)
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)
    # Sealed like users' secrets (platform/identity/two_factor.py), bound to "operator:<id>".
    totp_secret = Varchar(length=255, default="")
    totp_enabled_at = Timestamptz(null=True, default=None)
    totp_last_step = BigInt(default=0)
    # viewer, support or admin (platform/operators/roles.py; platform step v0008).
    role = Varchar(length=16, default="viewer")


class OperatorRecoveryCode(Table, schema="public", tablename="operator_recovery_codes"):
    """One single-use operator recovery code, as a digest (platform step v0008). ``used_at`` marks it spent."""

    id = BigSerial(primary_key=True)
    operator = ForeignKey(Operator, on_delete=OnDelete.cascade, db_column_name="operator_id", index=True)
    code_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
