"""Files on local disk under one root directory (``<data dir>/files`` unless configured)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from sampark.platform.storage.base import CHUNK_SIZE, Digest, StorageError, StoredBlob

__all__ = ["LocalStorage"]


class LocalStorage:
    """Keys map to paths under ``root``; a key that would resolve anywhere else is refused.

    Keys are made server-side, but the check does not rely on that: ``..``, absolute paths, and symlinks that
    lead out of the root (a planted link in a tenant folder) all raise :class:`StorageError`. Writes go to a
    temporary name first and are renamed into place, so a reader never sees half a file.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def path_for(self, key: str) -> Path:
        """The file a key names, or StorageError when it is not strictly inside the root."""
        if not key or "\x00" in key or "\\" in key or Path(key).is_absolute():
            raise StorageError(f"refused storage key: {key!r}")
        if any(part in ("", ".", "..") for part in key.split("/")):
            raise StorageError(f"refused storage key: {key!r}")
        path = (self.root / key).resolve()  # follows symlinks, so a link out of the root is caught here
        if not path.is_relative_to(self.root) or path == self.root:
            raise StorageError(f"storage key leaves the root: {key!r}")
        return path

    async def put(self, key: str, chunks: AsyncIterator[bytes]) -> StoredBlob:
        path = self.path_for(key)
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        self.path_for(key)  # again, now that the folders exist: a symlinked folder is caught too
        partial = path.with_name(path.name + ".partial")
        digest = Digest()
        handle = await asyncio.to_thread(open, partial, "wb")
        try:
            async for chunk in chunks:
                digest.update(chunk)
                await asyncio.to_thread(handle.write, chunk)
            await asyncio.to_thread(handle.flush)
            await asyncio.to_thread(os.fsync, handle.fileno())
        except BaseException:
            handle.close()
            partial.unlink(missing_ok=True)
            raise
        handle.close()
        await asyncio.to_thread(os.replace, partial, path)
        return digest.result()

    async def open(self, key: str) -> AsyncIterator[bytes]:
        path = self.path_for(key)
        handle = await asyncio.to_thread(open, path, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK_SIZE):
                yield chunk
        finally:
            handle.close()

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(path.unlink)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path_for(key).is_file)
