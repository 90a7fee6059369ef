"""Tasks, the notifications their reminders leave in the app, and each member's private calendar feed."""

from piccolo.columns import BigInt, BigSerial, Boolean, Date, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class Task(Table, tablename="tasks"):
    """A to-do with a due time, an assignee, a priority and an optional linked record.

    ``due_at`` is UTC. An all-day task also has ``due_date`` (the calendar day as the person who set it saw
    it) and ``due_at`` is the start of that day in their zone, so sorting and reminders treat both alike.
    """

    id = BigSerial(primary_key=True)
    title = Varchar(length=200)
    description = Text(default="")
    due_at = Timestamptz(null=True, default=None)
    all_day = Boolean(default=False)
    due_date = Date(null=True, default=None)
    assignee_id = BigInt(null=True, default=None, index=True)
    owner_id = BigInt(null=True, default=None, index=True)
    priority = Varchar(length=8, default="normal")
    status = Varchar(length=8, default="open")
    completed_at = Timestamptz(null=True, default=None)
    completed_by = BigInt(null=True, default=None)
    # (record_type, record_id) as in tenants/records/links.py; "" and NULL when the task links nothing.
    record_type = Varchar(length=32, default="")
    record_id = BigInt(null=True, default=None)
    reminder = Varchar(length=8, default="none")
    remind_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Notification(Table, tablename="notifications"):
    """Something the app tells one member (a task reminder); shown under the bell until read."""

    id = BigSerial(primary_key=True)
    user_id = BigInt()  # indexed by notifications_user_list (TASK_DDL)
    kind = Varchar(length=32, default="task_reminder")
    title = Varchar(length=300, default="")
    body = Text(default="")
    url = Varchar(length=500, default="")
    task_id = BigInt(null=True, default=None)
    read_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class CalendarFeed(Table, tablename="calendar_feeds"):
    """A member's private ICS feed: only the token's SHA-256 is stored; revoking deletes the row."""

    id = BigSerial(primary_key=True)
    user_id = BigInt(unique=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    last_used_at = Timestamptz(null=True, default=None)


TASK_DDL = (
    # "My tasks" lists and the calendar read open tasks by due time.
    'CREATE INDEX tasks_status_due ON "tasks" ("status", "due_at", "id")',
    'CREATE INDEX tasks_record ON "tasks" ("record_type", "record_id")',
    'CREATE INDEX notifications_user_list ON "notifications" ("user_id", "id")',
    'CREATE INDEX notifications_unread ON "notifications" ("user_id") WHERE "read_at" IS NULL',
)
