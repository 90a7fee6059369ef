"""What the file pages and API share: reading an uploaded part in chunks, streaming a download."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from litestar.datastructures import UploadFile
from litestar.response import Stream

from sampark.platform.config.settings import file_max_bytes_from_env
from sampark.platform.storage.base import CHUNK_SIZE
from sampark.platform.storage.factory import get_storage
from sampark.tenants.files.names import content_disposition
from sampark.tenants.files.schemas import FileVersionView, FileView

__all__ = ["UPLOAD_BODY_LIMIT", "download", "upload_chunks", "uploaded_file"]

# The upload routes accept the file limit plus room for the multipart framing and the small form fields; the
# service then enforces the exact limit (413 ``file_too_large``). Fixed when the routes are declared, so it
# follows SAMPARK_FILE_MAX_BYTES from the environment. Every other route keeps the app's 1 MiB.
UPLOAD_BODY_LIMIT = file_max_bytes_from_env() + 256 * 1024

# Served files never run: an attachment, no MIME sniffing, and a sandbox CSP should a browser render it anyway.
_DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "private, no-store",
}


def uploaded_file(value: Any) -> UploadFile | None:
    """The form part if it is a file someone chose (browsers send an empty part when none was)."""
    return value if isinstance(value, UploadFile) and value.filename else None


async def upload_chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_SIZE):
        yield chunk


def download(view: FileView, version: FileVersionView) -> Stream:
    """The version's content as an attachment, streamed from storage (no database work after this point)."""
    return Stream(
        get_storage().open(version.storage_key),
        media_type=version.content_type,
        headers={
            **_DOWNLOAD_HEADERS,
            "Content-Disposition": content_disposition(view.name),
            "Content-Length": str(version.size),
            "ETag": f'"{version.sha256}"',
        },
    )
