"""Contact table (the CRM core issue extends it)."""

from piccolo.columns import BigInt, BigSerial, Integer, Timestamptz, Varchar
from piccolo.table import Table


class Contact(Table, tablename="contacts"):
    """A person."""

    id = BigSerial(primary_key=True)
    first_name = Varchar(length=100)
    last_name = Varchar(length=100, default="")
    email = Varchar(length=320, default="", index=True)
    phone = Varchar(length=32, default="")
    owner_id = BigInt(null=True, default=None)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()
