"""Consent per contact and purpose, and its append-only history.

``consents`` holds the current answer per (contact, purpose) and follows the contact: deleted with it, moved on
a merge. ``consent_events`` is the proof of how that answer came about; it has no foreign key on purpose, so
the history of a contact that was merged away or deleted stays (like the audit log, the tenant role may only
read and append to it: see ``append_only`` in ``tenants/schema.py``).
"""

from piccolo.columns import BigInt, BigSerial, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.tenants.contacts.tables import Contact


class Consent(Table, tablename="consents"):
    """What a contact said about one purpose, as last recorded."""

    id = BigSerial(primary_key=True)
    contact: ForeignKey = ForeignKey(Contact, on_delete=OnDelete.cascade, db_column_name="contact_id")
    purpose = Varchar(length=32)
    # granted / withdrawn / pending (awaiting double opt-in confirmation)
    status = Varchar(length=16)
    lawful_basis = Varchar(length=32, default="")
    source = Varchar(length=16)
    evidence = Text(default="")
    recorded_by = BigInt(null=True, default=None)
    recorded_at = Timestamptz()
    version = Integer(default=1)


class ConsentEvent(Table, tablename="consent_events"):
    """One change of a contact's consent: grant, withdraw, merge, delete, (later) confirm and expire."""

    id = BigSerial(primary_key=True)
    contact_id = BigInt()
    purpose = Varchar(length=32)
    action = Varchar(length=16)
    status = Varchar(length=16)
    lawful_basis = Varchar(length=32, default="")
    source = Varchar(length=16, default="")
    evidence = Text(default="")
    actor_user_id = BigInt(null=True, default=None)
    at = Timestamptz()


CONSENT_DDL = (
    'CREATE INDEX IF NOT EXISTS consent_confirmations_contact ON "consent_confirmations" ("contact_id", "purpose")',
    'CREATE UNIQUE INDEX IF NOT EXISTS consents_contact_purpose ON "consents" ("contact_id", "purpose")',
    'CREATE INDEX IF NOT EXISTS consent_events_contact ON "consent_events" ("contact_id", "id")',
    'CREATE INDEX IF NOT EXISTS consent_events_at ON "consent_events" ("at", "id")',
    # Steps may run again on a schema they reached before (a resumed or repeated migration): drop, then add.
    'ALTER TABLE "consents" DROP CONSTRAINT IF EXISTS consents_evidence_length',
    'ALTER TABLE "consents" ADD CONSTRAINT consents_evidence_length CHECK (length("evidence") <= 2000)',
)


class ConsentConfirmation(Table, tablename="consent_confirmations"):
    """A double opt-in request: the e-mail asking the contact to confirm a grant, and its single-use link.

    Only the SHA-256 of the link's token is stored; the mail actor rebuilds the token from the id, the nonce
    and the secret key (like invitations, platform/identity/invitations.py).
    """

    id = BigSerial(primary_key=True)
    contact: ForeignKey = ForeignKey(Contact, on_delete=OnDelete.cascade, db_column_name="contact_id")
    purpose = Varchar(length=32)
    email = Varchar(length=320)
    locale = Varchar(length=16, default="")
    nonce = Varchar(length=64)
    token_hash = Varchar(length=64, unique=True)
    requested_by = BigInt(null=True, default=None)
    expires_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    confirmed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
