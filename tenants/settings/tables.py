"""Tenant settings, one row per overridden key; a key without a row follows the region preset."""

from piccolo.columns import JSONB, BigInt, BigSerial, Timestamptz, Varchar
from piccolo.table import Table


class TenantSetting(Table, tablename="tenant_settings"):
    """An admin's override of one setting (``key`` from the region registry, ``value`` in its JSON form)."""

    id = BigSerial(primary_key=True)
    key = Varchar(length=100, unique=True)
    value = JSONB(default="null")
    updated_by = BigInt(null=True, default=None)
    updated_at = Timestamptz()
