"""JSON shapes of the files API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from litestar.datastructures import UploadFile

from sampark.tenants.files.schemas import FileVersionView, FileView


@dataclass
class VersionOut:
    number: int
    size: int
    content_type: str
    sha256: str
    uploaded_by: int | None
    uploaded_at: datetime
    note: str


@dataclass(frozen=True)
class FileDetailOut(FileView):
    """A file (the service's view, sent as it is) with its versions."""

    versions: list[VersionOut]


@dataclass
class FileList:
    items: list[FileView]
    next_cursor: str | None


@dataclass
class FileUpload:
    """``multipart/form-data``: the file and the record it belongs to."""

    file: UploadFile
    record_type: str
    record_id: int
    note: str = ""
    access_level: str = "everyone"
    access_role: str = ""


@dataclass
class VersionUpload:
    """``multipart/form-data``: the new content."""

    file: UploadFile
    note: str = ""


@dataclass
class AccessPatch:
    access_level: str
    access_role: str = ""


def version_out(item: FileVersionView) -> VersionOut:
    return VersionOut(**{name: getattr(item, name) for name in VersionOut.__dataclass_fields__})


def file_detail(view: FileView, versions: list[FileVersionView]) -> FileDetailOut:
    return FileDetailOut(**vars(view), versions=[version_out(item) for item in versions])
