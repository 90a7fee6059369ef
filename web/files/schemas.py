"""JSON shapes of the files API."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.datastructures import UploadFile

from sampark.tenants.files.schemas import FileVersionView, FileView, VersionInfo


@dataclass(frozen=True)
class FileDetailOut(FileView):
    """A file (the service's view, sent as it is) with its versions."""

    versions: list[VersionInfo]


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


def file_detail(view: FileView, versions: list[FileVersionView]) -> FileDetailOut:
    return FileDetailOut(**vars(view), versions=[item.public() for item in versions])
