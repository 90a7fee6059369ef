"""Job receipts: one row per effect a worker performed, keyed uniquely."""

from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table


class JobReceipt(Table, tablename="job_receipts"):
    """Written in the same transaction as an actor's effect, so a redelivered message does nothing."""

    key = Varchar(length=200, primary_key=True)
    created_at = Timestamptz()
