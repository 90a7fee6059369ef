"""The operator audit log: what platform operators and platform commands did to tenants."""

from piccolo.columns import JSONB, BigInt, BigSerial, Timestamptz, Varchar
from piccolo.table import Table


class OperatorAudit(Table, schema="public", tablename="operator_audit"):
    """One operator action. Append-only by convention and by grant."""

    id = BigSerial(primary_key=True)
    actor = Varchar(length=320)
    action = Varchar(length=64)
    tenant_id = BigInt(null=True, default=None)
    details = JSONB(default="{}")
    created_at = Timestamptz()
