"""Tenant mail templates: the admin pages (save, refuse, preview, reset), audit, permission, isolation, and the
reminder mail sent with the override in the recipient's language (real broker and worker, the mail sink)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sampark.platform.embedded.mailsink import read_messages
from sampark.platform.i18n.preferences import set_user_locale
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.mailtemplates.services import find_template
from sampark.tenants.tasks.services import create_task
from tests.support.web import acting_in, make_member, post_form, sign_in

GERMAN = {
    "subject": "Bitte erledigen: {{ task.title }}",
    "body": "Hallo {{ recipient.name }},\n\n{{ task.title|upper }} ist fällig: {{ task.due }}\n{{ task.url }}",
}


def _url(tenant, kind: str = "task_reminder", locale: str = "de") -> str:
    return f"/t/{tenant.slug}/admin/mail-templates/{kind}/{locale}"


async def test_admin_saves_previews_and_resets_a_template(client, make_tenant) -> None:
    tenant, other = await make_tenant(), await make_tenant()
    admin = await make_member(tenant)
    await sign_in(client, admin)
    index = await client.get(f"/t/{tenant.slug}/admin/mail-templates/")
    assert index.status_code == 200 and _url(tenant) in index.text
    assert (
        f'href="/t/{tenant.slug}/admin/mail-templates/"'
        in (await client.get(f"/t/{tenant.slug}/admin/pipelines/")).text
    )
    url = _url(tenant)
    page = await client.get(url)
    # The form starts from the built-in German text, with placeholders, and a preview with sample data.
    assert page.status_code == 200 and "Erinnerung" in page.text and "{{ task.title }}" in page.text
    assert 'id="preview"' in page.text
    for bad, expected in (
        ("{{ task.title", "Line 1"),
        ("{{ task.owner }}", "{{ task.owner }}"),
        ("{{ task.__class__ }}", "{{ task.__class__ }}"),
        ("{{ task['__class__'] }}", "{{ tenant.name }}"),
        ("{{ ''.__class__.__mro__ }}", "__mro__"),
    ):
        refused = await post_form(
            client, url, url, {**GERMAN, "body": bad, "version": "0", "_action": "save"}
        )
        assert refused.status_code == 400, bad
        assert 'id="body-error"' in refused.text and expected.replace("'", "&#39;") in refused.text, bad
    async with acting_in(tenant, admin):
        assert await find_template("task_reminder", "de") is None  # nothing was saved
    shown = await post_form(
        client, url, url, {**GERMAN, "body": "<script>alert(1)</script> {{ task.title }}", "version": "0",
                           "_action": "preview"},
    )  # fmt: skip
    assert shown.status_code == 200 and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.text
    assert "<script>alert(1)" not in shown.text
    saved = await post_form(client, url, url, {**GERMAN, "version": "0", "_action": "save"})
    assert saved.status_code == 303
    stale = await post_form(client, url, url, {**GERMAN, "version": "0", "_action": "save"})
    assert stale.status_code == 409
    page = await client.get(url)
    assert "Bitte erledigen" in page.text and "/reset" in page.text
    async with acting_in(tenant, admin):
        template = await find_template("task_reminder", "de")
        assert template is not None and template.subject == GERMAN["subject"]
        entries = await AuditEntry.select().where(AuditEntry.object_type == "mail_template")
        assert [entry["action"] for entry in entries] == ["create"]
    # Another tenant still sends the built-in mail and cannot reach this one.
    other_admin = await make_member(other)
    async with acting_in(other, other_admin):
        assert await find_template("task_reminder", "de") is None
    reset = await post_form(client, url, f"{url}/reset", {"version": "1"})
    assert reset.status_code == 303
    async with acting_in(tenant, admin):
        assert await find_template("task_reminder", "de") is None
        actions = [
            entry["action"]
            for entry in await AuditEntry.select().where(AuditEntry.object_type == "mail_template")
        ]
        assert sorted(actions) == ["create", "delete"]


async def test_permission_and_unknown_mails(client, tenant) -> None:
    seller = await make_member(tenant, "sales")
    await sign_in(client, seller)
    assert (await client.get(f"/t/{tenant.slug}/admin/mail-templates/")).status_code == 403
    assert (await client.get(_url(tenant))).status_code == 403
    admin = await make_member(tenant)
    await sign_in(client, admin)
    assert (await client.get(_url(tenant, "password_reset"))).status_code == 404
    assert (await client.get(_url(tenant, locale="xx"))).status_code == 404
    page = await client.get(_url(tenant, locale="de"))
    denied = await post_form(
        client, _url(tenant), _url(tenant, "nope", "de"), {**GERMAN, "version": "0", "_action": "save"}
    )
    assert page.status_code == 200 and denied.status_code == 404


async def test_reminder_uses_the_tenant_template_in_the_recipients_language(
    tenant,
    settings,
    broker,
    queue,
    start_worker,
) -> None:
    from sampark.tenants.mailtemplates.services import save_template
    from sampark.workers.reminders import scan

    owner, german, french = await make_member(tenant), await make_member(tenant), await make_member(tenant)
    await set_user_locale(german.id, "de")
    await set_user_locale(french.id, "fr")
    due = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    async with acting_in(tenant, owner):
        await save_template("task_reminder", "de", GERMAN["subject"], GERMAN["body"], expected_version=0)
        for member in (german, french):
            await create_task({"title": "Angebot <senden>", "due_at": due.isoformat(), "reminder": "1h",
                               "assignee_id": member.id})  # fmt: skip
    worker = start_worker(queue)
    assert await scan(broker, queue_name=queue, now=due - timedelta(minutes=59)) >= 2
    await worker.drain(queue)
    messages, _total = read_messages(settings.mail_sink_dir, limit=500)
    [to_german] = [m for m in messages if german.email in m.recipients]
    [to_french] = [m for m in messages if french.email in m.recipients]
    assert to_german.subject == "Bitte erledigen: Angebot <senden>"
    assert "ANGEBOT <SENDEN> ist fällig" in to_german.body
    assert "Bitte erledigen" not in to_french.subject and "Rappel" in to_french.subject  # no French override
