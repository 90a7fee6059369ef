"""Admin test helpers: the real broker and in-process worker, the mail sink, CSRF headers for the JSON API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from httpx import AsyncClient

from sampark.platform.config.settings import Settings
from sampark.platform.embedded.mailsink import StoredMessage, read_messages
from sampark.platform.tenancy.context import TenantRecord
from tests.integration.workers.conftest import broker, start_worker  # noqa: F401  (fixtures)
from tests.support.web import csrf_token

LINK = re.compile(r"/invitations/([A-Za-z0-9_-]{20,})")


async def api_headers(client: AsyncClient, tenant: TenantRecord) -> dict[str, str]:
    """The CSRF header the API needs on unsafe requests (the signed cookie comes with the page)."""
    return {"x-csrftoken": csrf_token(await client.get(f"/t/{tenant.slug}/admin/users/"))}


def mails_to(settings: Settings, address: str) -> list[StoredMessage]:
    assert settings.mail_sink_dir is not None
    messages, _total = read_messages(settings.mail_sink_dir, limit=500)
    return [message for message in messages if address in message.recipients]


def link_token(message: StoredMessage) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
async def deliver_mail(broker: Any, start_worker: Any) -> Any:  # noqa: F811
    """Relay committed outbox rows to the real broker and let a real worker send the mail queue."""
    from sampark.platform.identity.invitations import MAIL_QUEUE
    from sampark.workers.outbox import relay

    workers: list[Any] = []  # one worker per test: two on one queue would share the broker's middleware

    async def run() -> None:
        await relay(broker)
        if not workers:
            workers.append(start_worker(MAIL_QUEUE))
        await workers[0].drain(MAIL_QUEUE)

    return run
