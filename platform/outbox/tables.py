"""The outbox table, in ``public`` so one relay serves every tenant on a database server."""

from piccolo.columns import JSONB, BigInt, BigSerial, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class OutboxMessage(Table, schema="public", tablename="outbox"):
    """A message to hand to the broker once the transaction that wrote it commits."""

    id = BigSerial(primary_key=True)
    tenant_id = BigInt(null=True, default=None)
    queue_name = Varchar(length=100, default="default")
    actor_name = Varchar(length=100)
    args = JSONB(default="[]")
    kwargs = JSONB(default="{}")
    attempts = Integer(default=0)
    last_error = Text(default="")
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
