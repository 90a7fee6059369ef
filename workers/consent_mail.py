"""The double opt-in mail actor: sends a consent confirmation request, at most once per request."""

from __future__ import annotations

import structlog

from sampark.platform.config.settings import get_settings
from sampark.tenants.access.policy import Principal, acting_as
from sampark.tenants.consent.confirmation import MAIL_QUEUE, SEND_ACTOR, deliver_confirmation
from sampark.workers.broker import actor

log = structlog.get_logger(__name__)


@actor(actor_name=SEND_ACTOR, queue_name=MAIL_QUEUE, max_retries=10)
async def send_confirmation(confirmation_id: int) -> None:
    """Mail the confirmation link in the request's tenant.

    Idempotent through the request row: it is locked and ``sent_at`` is set in the same transaction, so a
    second delivery after a commit sends nothing. An SMTP failure raises: the transaction rolls back and
    Dramatiq retries with back-off.
    """
    with acting_as(Principal.system()):
        sent = await deliver_confirmation(get_settings(), confirmation_id)
    log.info("mail.consent_confirmation", confirmation_id=confirmation_id, sent=sent)
