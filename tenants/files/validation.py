"""What may be uploaded: an extension on the allowlist whose content looks like that type (magic bytes).

Executables, HTML and SVG are refused outright, not served with a safer header: a CRM has no need to host
them, and a refused file can never become stored cross-site scripting. Downloads still go out as attachments
with ``nosniff`` and a sandbox CSP (web/files/download.py), so a text file that some browser would sniff as
HTML cannot run either.
"""

from __future__ import annotations

from dataclasses import dataclass

from sampark.platform.i18n import gettext as _
from sampark.tenants.files.names import extension
from sampark.tenants.files.schemas import FileTooLarge, FileTypeRefused

__all__ = ["ACCESS_LEVELS", "SNIFF_BYTES", "TYPES", "FileType", "check_content", "file_type", "too_large"]

SNIFF_BYTES = 8192
ACCESS_LEVELS = ("everyone", "team", "owner", "role")


@dataclass(frozen=True)
class FileType:
    """An allowed kind of file: the Content-Type we serve it with and how its first bytes must look."""

    content_type: str
    magic: tuple[bytes, ...] = ()
    text: bool = False


_ZIP = (b"PK\x03\x04",)
TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", (b"%PDF-",)),
    "png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": FileType("image/gif", (b"GIF87a", b"GIF89a")),
    "webp": FileType("image/webp", (b"RIFF",)),
    "docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "odt": FileType("application/vnd.oasis.opendocument.text", _ZIP),
    "csv": FileType("text/csv; charset=utf-8", text=True),
    "txt": FileType("text/plain; charset=utf-8", text=True),
    "md": FileType("text/markdown; charset=utf-8", text=True),
    "ics": FileType("text/calendar; charset=utf-8", text=True),
    "eml": FileType("message/rfc822", text=True),
}
# Whatever the extension says, content starting like this is refused: programs and markup a browser runs.
_REFUSED_STARTS = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")
_MARKUP = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml", b"<head", b"<body", b"<iframe")


def _refused() -> FileTypeRefused:
    allowed = ", ".join(sorted(TYPES))
    return FileTypeRefused(
        {"file": _("This type of file cannot be uploaded. Allowed: %(types)s.", types=allowed)}
    )


def too_large(limit: int) -> FileTooLarge:
    megabytes = max(1, limit // (1024 * 1024))
    return FileTooLarge({"file": _("The file is larger than %(size)s MB.", size=megabytes)})


def file_type(name: str) -> FileType:
    """The allowed type for ``name``'s extension.

    Raises:
        FileTypeRefused: the extension is not on the allowlist (or there is none).
    """
    kind = TYPES.get(extension(name))
    if kind is None:
        raise _refused()
    return kind


def _is_text(head: bytes, complete: bool) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sniffed part is fine; anything else is not UTF-8.
        if complete or error.start < len(head) - 3:
            return False
    return True


def check_content(kind: FileType, head: bytes, *, complete: bool) -> None:
    """Refuse content that does not look like ``kind`` (``head``: the first bytes; ``complete``: all of it).

    Raises:
        FileTypeRefused: wrong magic bytes, an executable, markup, or text that is not UTF-8.
    """
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_REFUSED_STARTS) or start.startswith(_MARKUP):
        raise _refused()
    if kind.magic and not head.startswith(kind.magic):
        raise _refused()
    if kind.content_type == "image/webp" and head[8:12] != b"WEBP":
        raise _refused()
    if kind.text and not _is_text(head, complete):
        raise _refused()
