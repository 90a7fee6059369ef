"""Mail actors: thin wrappers that send what a service decided, at most once per message."""

from __future__ import annotations

import structlog

from sampark.platform.config.settings import get_settings
from sampark.platform.identity.invitations import MAIL_QUEUE, SEND_ACTOR, deliver_invitation
from sampark.tenants.mailtemplates.services import find_template
from sampark.workers.broker import actor

log = structlog.get_logger(__name__)


@actor(actor_name=SEND_ACTOR, queue_name=MAIL_QUEUE, max_retries=10)
async def send_invitation(invitation_id: int) -> None:
    """Mail an invitation's link, in the invitation's tenant.

    Idempotent through the invitation row itself: it is locked, and ``sent_at`` is set in this transaction,
    so a second delivery after a commit sends nothing. A revoked, accepted or expired invitation is skipped.
    An SMTP failure raises ``MailError``: the transaction rolls back and Dramatiq retries with back-off.
    The tenant's own invitation template for the invitation's language is used when an admin wrote one.
    """
    sent = await deliver_invitation(get_settings(), invitation_id, find_template)
    log.info("mail.invitation", invitation_id=invitation_id, sent=sent)
