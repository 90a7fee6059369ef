"""Each file test gets its own local storage root and a known size limit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from sampark.platform.config.settings import Settings
from sampark.platform.storage import factory
from sampark.platform.storage.local import LocalStorage

LIMIT = 64 * 1024


@pytest.fixture
def storage(app, settings: Settings, tmp_path: Path) -> Iterator[LocalStorage]:
    """A fresh LocalStorage for this test, with a 64 KiB upload limit (the route limit stays the default)."""
    configured = factory.configure_storage(settings.with_overrides(data_dir=tmp_path, file_max_bytes=LIMIT))
    assert isinstance(configured, LocalStorage)
    yield configured
    factory.configure_storage(settings)


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


PDF = b"%PDF-1.7\n" + b"x" * 100 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50
