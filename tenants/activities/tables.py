"""Activity tables: one row per note, call, meeting or logged e-mail, and its links to records.

The kinds share one table: they are read together (a timeline, a list, search), and their own fields are few
and simple. Columns a kind does not use stay at their empty default. A link is a ``(record_type, record_id)``
pair, not a foreign key per type, so deals, leads and later record types become linkable without a schema
change here (see tenants/records/links.py); the services validate every pair.
"""

from piccolo.columns import BigInt, BigSerial, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Activity(Table, tablename="activities"):
    """A touchpoint with a customer."""

    id = BigSerial(primary_key=True)
    kind = Varchar(length=16)  # note, call, meeting, email
    subject = Varchar(length=300, default="")
    body = Text(default="")
    # When it happened: a meeting's start, an e-mail's sent time, otherwise as entered.
    occurred_at = Timestamptz()
    owner_id = BigInt(null=True, default=None, index=True)  # the author
    # call
    duration_minutes = Integer(null=True, default=None)
    outcome = Varchar(length=16, default="")
    # call, email: inbound / outbound
    direction = Varchar(length=8, default="")
    # meeting
    starts_at = Timestamptz(null=True, default=None)
    ends_at = Timestamptz(null=True, default=None)
    location = Varchar(length=300, default="")
    # email
    email_from = Varchar(length=320, default="")
    email_to = Varchar(length=1000, default="")
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ActivityLink(Table, tablename="activity_links"):
    """One record an activity is about; ``attendee`` marks a meeting's attending contacts."""

    id = BigSerial(primary_key=True)
    activity = ForeignKey(Activity, on_delete=OnDelete.cascade, null=False, db_column_name="activity_id")
    record_type = Varchar(length=32)
    record_id = BigInt()
    attendee = Boolean(default=False)


# Subject (weight A) and body (weight B) in the "simple" configuration, like contacts: no stemming, any language.
ACTIVITY_SEARCH_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, translate(subject, '<>/', '   ')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, translate(body, '<>/', '   ')), 'B')"
)

ACTIVITY_DDL = (
    f'ALTER TABLE "activities" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS ({ACTIVITY_SEARCH_VECTOR}) STORED',
    'CREATE INDEX activities_search ON "activities" USING gin ("search_vector")',
    # Lists and timelines walk activities newest first.
    'CREATE INDEX activities_occurred ON "activities" ("occurred_at", "id")',
    # The calendar asks for meetings in a date range.
    'CREATE INDEX activities_meetings ON "activities" ("starts_at") WHERE kind = \'meeting\'',
    # One link per record and activity; timelines look links up by record.
    'CREATE UNIQUE INDEX activity_links_unique ON "activity_links" ("activity_id", "record_type", "record_id")',
    'CREATE INDEX activity_links_record ON "activity_links" ("record_type", "record_id", "activity_id")',
)
