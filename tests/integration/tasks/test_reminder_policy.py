"""Reminders go through the same permission check as the pages: the real worker delivers a reminder only when
its recipient, under their current role, may still see the task, and never names a record they cannot see."""

from datetime import UTC, datetime, timedelta

import pytest

from sampark.platform.db.engine import get_engine
from sampark.platform.embedded.mailsink import read_messages
from sampark.platform.reminders.queue import DueReminder
from sampark.platform.tenancy.context import tenant_connection, tenant_context
from sampark.tenants.access.tables import Role
from sampark.tenants.tasks.services import create_task
from tests.support.web import acting_in, add_contact, make_member


@pytest.fixture(autouse=True)
async def _leave_no_queued_reminders(tenant):
    """The reminder queue is shared by every tenant: other tests' scans must not meet this test's rows."""
    yield
    async with get_engine().transaction() as transaction:
        await transaction.connection.execute(
            "DELETE FROM public.reminder_queue WHERE tenant_id = $1", tenant.id
        )


def _mails(settings, address: str) -> list:
    messages, _total = read_messages(settings.mail_sink_dir, limit=500)
    return [message for message in messages if address in message.recipients]


async def _notifications(tenant, user_id: int) -> list:
    async with tenant_context(slug=tenant.slug):
        return list(
            await tenant_connection().fetch("SELECT * FROM notifications WHERE user_id = $1", user_id)
        )


async def _set_role(tenant, user_id: int, role: str) -> None:
    async with get_engine().transaction() as transaction:
        await transaction.connection.execute(
            "UPDATE public.memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2",
            tenant.id,
            user_id,
            role,
        )


async def test_a_reminder_is_not_sent_for_a_task_the_recipient_may_no_longer_see(
    tenant, settings, broker, queue, start_worker
) -> None:
    from sampark.workers.reminders import reminder_message

    async with tenant_context(slug=tenant.slug):
        await Role.insert(Role(key="no-tasks", name="No tasks", permissions={"contacts": {"view": "own"}}))
    owner = await make_member(tenant, "sales")
    # Far ahead: the queue rows stay behind, and other tests scan the shared queue for the next hours.
    due = (datetime.now(UTC) + timedelta(days=40)).replace(second=0, microsecond=0)
    async with acting_in(tenant, owner):
        task = await create_task(
            {"title": "Secret renewal plan", "due_at": due.isoformat(), "reminder": "1h"}
        )
    await _set_role(tenant, owner.id, "no-tasks")  # the owner's role loses every task permission

    worker = start_worker(queue)
    broker.enqueue(reminder_message(DueReminder(0, tenant.id, task.id, due - timedelta(hours=1)), queue))
    await worker.drain(queue)
    assert _mails(settings, owner.email) == []
    assert await _notifications(tenant, owner.id) == []

    # Control: with task access back, the same kind of reminder is delivered.
    await _set_role(tenant, owner.id, "sales")
    async with acting_in(tenant, owner):
        again = await create_task({"title": "Visible renewal", "due_at": due.isoformat(), "reminder": "1h"})
    broker.enqueue(reminder_message(DueReminder(0, tenant.id, again.id, due - timedelta(hours=1)), queue))
    await worker.drain(queue)
    assert [mail.subject for mail in _mails(settings, owner.email)] == ["Reminder: Visible renewal"]


async def test_an_assignee_gets_the_reminder_without_the_name_of_a_record_they_cannot_see(
    tenant, settings, broker, queue, start_worker
) -> None:
    from sampark.workers.reminders import reminder_message

    admin, seller = await make_member(tenant, "admin"), await make_member(tenant, "sales")
    hidden = await add_contact(tenant, admin, "Zenobia Hiddenname")
    # Far ahead: the queue rows stay behind, and other tests scan the shared queue for the next hours.
    due = (datetime.now(UTC) + timedelta(days=40)).replace(second=0, microsecond=0)
    async with acting_in(tenant, admin):
        task = await create_task(
            {
                "title": "Call back",
                "due_at": due.isoformat(),
                "reminder": "1h",
                "assignee_id": seller.id,
                "record_type": "contact",
                "record_id": hidden,
            }
        )
    worker = start_worker(queue)
    broker.enqueue(reminder_message(DueReminder(0, tenant.id, task.id, due - timedelta(hours=1)), queue))
    await worker.drain(queue)
    [mail] = _mails(settings, seller.email)  # a task assigned to them is theirs to see, whatever their scope
    assert "Call back" in mail.subject
    assert (
        "Zenobia" not in mail.body
        and "Hiddenname" not in mail.body
        and f"/contacts/{hidden}" not in mail.body
    )
    async with tenant_context(slug=tenant.slug):
        notes = await tenant_connection().fetch(
            "SELECT title, body FROM notifications WHERE user_id = $1", seller.id
        )
    assert notes and all("Zenobia" not in f"{note['title']} {note['body']}" for note in notes)
