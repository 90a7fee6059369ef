"""File actors: removing the stored contents of deleted files, after the deletion committed."""

from __future__ import annotations

import structlog

from sampark.platform.storage.base import StorageError, check_key
from sampark.platform.storage.factory import get_storage
from sampark.platform.tenancy.context import current_tenant
from sampark.workers.broker import actor

log = structlog.get_logger(__name__)


@actor(actor_name="files.delete_blobs")
async def delete_blobs(keys: list[str]) -> None:
    """Delete the stored contents under ``keys`` (sent through the outbox by ``tenants/files/services.py``).

    Idempotent: deleting a key that is already gone does nothing. Only keys of the message's own tenant are
    touched, so a forged or misrouted message cannot remove another tenant's files.
    """
    prefix = f"{current_tenant().id}/"
    storage = get_storage()
    for key in keys:
        try:
            check_key(key)
        except StorageError:
            log.warning("files.foreign_key_refused", key=str(key)[:100])
            continue
        if not key.startswith(prefix):
            log.warning("files.foreign_key_refused", key=key)
            continue
        await storage.delete(key)
