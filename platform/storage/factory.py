"""The process's storage, built once from settings (``SAMPARK_FILE_STORAGE``)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from sampark.platform.config.settings import Settings, get_settings
from sampark.platform.storage.base import Storage
from sampark.platform.storage.local import LocalStorage
from sampark.platform.storage.s3 import S3Storage

__all__ = ["configure_storage", "get_storage", "storage_from_settings", "upload_limit"]

_configured: Storage | None = None
_max_bytes: int | None = None


def storage_from_settings(settings: Settings) -> Storage:
    """Local disk (``<data_dir>/files`` or the configured directory) or an S3-compatible bucket."""
    target = settings.file_storage.strip()
    if not target:
        return LocalStorage(Path(settings.data_dir) / "files")
    parsed = urlparse(target)
    if parsed.scheme == "s3":
        return S3Storage.from_url(target)
    return LocalStorage(Path(parsed.path if parsed.scheme == "file" else target).expanduser())


def configure_storage(settings: Settings) -> Storage:
    """Set the process's storage (the app and the workers call this at start-up)."""
    global _configured, _max_bytes
    _configured = storage_from_settings(settings)
    _max_bytes = settings.file_max_bytes
    return _configured


def get_storage() -> Storage:
    """The configured storage; built from the environment on first use when nothing configured it."""
    return _configured if _configured is not None else configure_storage(get_settings())


def upload_limit() -> int:
    """The largest file accepted, in bytes (``SAMPARK_FILE_MAX_BYTES``)."""
    if _max_bytes is None:
        get_storage()
    assert _max_bytes is not None
    return _max_bytes
