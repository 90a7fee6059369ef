"""The storage interface every backend implements, and the server-side key format."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

__all__ = ["CHUNK_SIZE", "Digest", "Storage", "StorageError", "StoredBlob", "check_key", "new_key"]

CHUNK_SIZE = 64 * 1024
# <tenant id>/<uuid4 hex>: made here, never from anything a user typed.
_KEY = re.compile(r"[1-9][0-9]{0,18}/[0-9a-f]{32}")


class StorageError(ValueError):
    """A key that is not one of ours, or one that would reach outside the storage root."""


@dataclass(frozen=True)
class StoredBlob:
    """What ``put`` wrote: the byte count and the SHA-256 (hex) of the content."""

    size: int
    sha256: str


class Storage(Protocol):
    """Where file contents live. Keys come from :func:`new_key`; contents are streamed, never held whole."""

    async def put(self, key: str, chunks: AsyncIterator[bytes]) -> StoredBlob: ...

    def open(self, key: str) -> AsyncIterator[bytes]: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...


def new_key(tenant_id: int) -> str:
    """A fresh storage key for one stored version in ``tenant_id``."""
    return f"{int(tenant_id)}/{uuid.uuid4().hex}"


def check_key(key: str) -> str:
    """``key`` if it has the shape :func:`new_key` makes; StorageError otherwise (``..``, ``/etc``, ``a\\b``)."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise StorageError(f"not a storage key: {key!r}")
    return key


class Digest:
    """Counts bytes and hashes them while a stream passes through."""

    def __init__(self) -> None:
        self.size = 0
        self._hash = hashlib.sha256()

    def update(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self._hash.update(chunk)

    def result(self) -> StoredBlob:
        return StoredBlob(self.size, self._hash.hexdigest())
