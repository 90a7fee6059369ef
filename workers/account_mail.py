"""Account mail actors: the password reset link. Platform work: it runs outside any tenant."""

from __future__ import annotations

import structlog

from sampark.platform.config.settings import get_settings
from sampark.platform.identity.reset import MAIL_ACTOR, MAIL_QUEUE, deliver_reset_mail
from sampark.workers.broker import actor

log = structlog.get_logger(__name__)


@actor(actor_name=MAIL_ACTOR, queue_name=MAIL_QUEUE, tenant=False, max_retries=10)
async def send_password_reset(reset_id: int) -> None:
    """Mail the reset link of ``reset_id`` (an id only: the link's token is derived here, never carried).

    Idempotent through the reset row: a redelivery after the mail went out, or for a link that was used
    or expired meanwhile, sends nothing. An SMTP failure raises and Dramatiq retries with back-off.
    """
    sent = await deliver_reset_mail(get_settings(), reset_id)
    log.info("mail.password_reset", reset_id=reset_id, sent=sent)
