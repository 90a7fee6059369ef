"""What file services return and raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict

__all__ = [
    "AccessEntry", "FileError", "FileNotFound", "FilePage", "FileRefused", "FileTooLarge", "FileTypeRefused",
    "FileVersionView", "FileView", "VersionConflict", "VersionInfo", "file_from_row",
]  # fmt: skip


@dataclass(frozen=True)
class FileView:
    """A file as a principal may see it, with its current version's details."""

    id: int
    record_type: str
    record_id: int
    name: str
    current_version: int
    versions_count: int
    access_level: str
    access_role: str
    owner_id: int | None
    size: int
    content_type: str
    uploaded_by: int | None
    uploaded_at: datetime
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'


def file_from_row(row: Mapping[str, Any]) -> FileView:
    return FileView(**{name: row[name] for name in FileView.__dataclass_fields__})


@dataclass(frozen=True)
class VersionInfo:
    """One version as people and API clients see it."""

    number: int
    size: int
    content_type: str
    sha256: str
    uploaded_by: int | None
    uploaded_at: datetime
    note: str


@dataclass(frozen=True)
class FileVersionView(VersionInfo):
    """A version with where its content is stored (internal: the key is never shown or sent to clients)."""

    storage_key: str

    def public(self) -> VersionInfo:
        return VersionInfo(**{name: getattr(self, name) for name in VersionInfo.__dataclass_fields__})


@dataclass(frozen=True)
class AccessEntry:
    """One line of "who worked on this file"."""

    id: int
    action: str
    user_id: int | None
    file_version: int | None
    at: datetime


@dataclass(frozen=True)
class FilePage:
    items: list[FileView]
    next_cursor: str | None


class FileNotFound(RecordNotFound):
    """No such file, or the principal may not see it or its record (callers answer 404)."""


class FileError(FieldErrors):
    """Invalid file input; ``errors`` maps field names to translated messages."""


class FileRefused(FileError):
    """The upload itself is refused; ``status`` and ``code`` say how the API answers."""

    status = 422
    code = "validation_failed"


class FileRecordReadOnly(FileRefused):
    """The record takes no new files (a converted lead)."""

    status = 409
    code = "record_read_only"


class FileTooLarge(FileRefused):
    status = 413
    code = "file_too_large"


class FileTypeRefused(FileRefused):
    status = 415
    code = "unsupported_file_type"
