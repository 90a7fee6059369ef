"""Reminder delivery with a real worker: the periodic scan and the actor on the Redis broker, mail to the sink."""

from datetime import UTC, datetime, timedelta

from sampark.platform.db.engine import get_engine
from sampark.platform.embedded.mailsink import read_messages
from sampark.platform.i18n.formatting import in_time_zone
from sampark.platform.i18n.preferences import set_user_locale, set_user_time_zone
from sampark.platform.reminders.queue import DueReminder
from sampark.platform.tenancy.context import tenant_connection
from sampark.tenants.tasks.services import complete_task, create_task, update_task
from tests.support.web import acting_in, make_member


def _mails(settings, address: str) -> list:
    messages, _total = read_messages(settings.mail_sink_dir, limit=500)
    return [message for message in messages if address in message.recipients]


async def _notifications(tenant, member) -> list:
    async with acting_in(tenant, member):
        return list(
            await tenant_connection().fetch(
                "SELECT title, body, task_id FROM notifications WHERE user_id = $1", member.id
            )
        )


async def _queued(tenant_id: int, task_id: int):
    async with get_engine().transaction() as transaction:
        return await transaction.connection.fetchval(
            "SELECT remind_at FROM public.reminder_queue WHERE tenant_id = $1 AND task_id = $2",
            tenant_id,
            task_id,
        )


async def test_reminder_delivered_once_in_the_assignees_zone_and_language(
    tenant, settings, broker, queue, start_worker
) -> None:
    from sampark.workers.reminders import reminder_message, scan

    owner, assignee = await make_member(tenant), await make_member(tenant)
    await set_user_locale(assignee.id, "de")
    await set_user_time_zone(assignee.id, "Asia/Kolkata")
    due = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    async with acting_in(tenant, owner):
        task = await create_task(
            {
                "title": "Angebot <senden>",
                "due_at": due.isoformat(),
                "reminder": "1h",
                "assignee_id": assignee.id,
            }
        )
        done = await create_task(
            {"title": "Already done", "due_at": due.isoformat(), "reminder": "1h", "assignee_id": assignee.id}
        )
        await complete_task(done.id)
    assert await _queued(tenant.id, task.id) == due - timedelta(hours=1)
    assert await _queued(tenant.id, done.id) is None  # completed before its reminder: nothing left to send

    worker = start_worker(queue)
    assert await scan(broker, queue_name=queue, now=due - timedelta(hours=2)) == 0  # not due yet
    sent = await scan(broker, queue_name=queue, now=due - timedelta(minutes=59))
    assert sent >= 1
    await worker.drain(queue)
    [mail] = _mails(settings, assignee.email)
    local = in_time_zone(due, "Asia/Kolkata")
    assert "Erinnerung" in mail.subject and "Angebot <senden>" in mail.subject
    assert f"{local:%H:%M}" in mail.body and "Asia/Kolkata" in mail.body
    [note] = await _notifications(tenant, assignee)
    assert note["task_id"] == task.id and "Asia/Kolkata" in note["body"]
    assert await _queued(tenant.id, task.id) is None

    # The same reminder delivered again (a crash before the scan committed): nothing new.
    again = DueReminder(0, tenant.id, task.id, due - timedelta(hours=1))
    broker.enqueue(reminder_message(again, queue))
    await worker.drain(queue)
    assert len(_mails(settings, assignee.email)) == 1
    assert len(await _notifications(tenant, assignee)) == 1


async def test_changed_due_time_reschedules_and_the_old_reminder_sends_nothing(
    tenant, settings, broker, queue, start_worker
) -> None:
    from sampark.workers.reminders import reminder_message

    member = await make_member(tenant)
    due = (datetime.now(UTC) + timedelta(hours=5)).replace(second=0, microsecond=0)
    async with acting_in(tenant, member):
        task = await create_task({"title": "Moving target", "due_at": due.isoformat(), "reminder": "at_due"})
        later = due + timedelta(days=1)
        await update_task(task.id, {"due_at": later.isoformat()}, expected_version=task.version)
    assert await _queued(tenant.id, task.id) == later
    worker = start_worker(queue)
    broker.enqueue(reminder_message(DueReminder(0, tenant.id, task.id, due), queue))  # the stale one
    await worker.drain(queue)
    assert _mails(settings, member.email) == []
    assert await _notifications(tenant, member) == []
