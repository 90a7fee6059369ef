"""One row per overridden mail and locale; no row means the built-in translated mail is sent."""

from piccolo.columns import BigInt, BigSerial, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class MailTemplate(Table, tablename="mail_templates"):
    """A tenant's own subject and plain-text body for one mail (``kind``) in one locale."""

    id = BigSerial(primary_key=True)
    # task_reminder or invitation (sampark.platform.mail.custom.MAIL_KINDS)
    kind = Varchar(length=32)
    locale = Varchar(length=8)
    subject = Varchar(length=200)
    body = Text()
    version = Integer(default=1)
    updated_by = BigInt(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


MAIL_TEMPLATE_DDL = (
    'CREATE UNIQUE INDEX IF NOT EXISTS mail_templates_kind_locale ON "mail_templates" ("kind", "locale")',
)
