"""File names: what was uploaded, made safe to show and to send back in ``Content-Disposition``."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

__all__ = ["MAX_NAME", "clean_name", "content_disposition", "extension"]

MAX_NAME = 255
_SPACES = re.compile(r"\s+")
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9 !#$&+,.=@^_`{}~()\[\]-]")


def clean_name(raw: str) -> str:
    """The uploaded name without folders, control or format characters (bidi overrides), at most 255 long.

    ``../../etc/passwd`` becomes ``passwd``, ``C:\\x\\a.pdf`` becomes ``a.pdf``; a name that ends up empty (or
    only dots) becomes ``file``. Quotes and ``<>`` stay: templates escape them and headers encode them.
    """
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if char.isspace() else char for char in name)  # tabs and line breaks become spaces
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = _SPACES.sub(" ", name).strip().lstrip(".").strip()
    if not name:
        return "file"
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name


def extension(name: str) -> str:
    """The lower-case extension without the dot (``report.PDF`` → ``pdf``), or empty."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """``attachment; filename="..."; filename*=UTF-8''...`` (RFC 6266 with RFC 5987 encoding).

    The quoted ASCII fallback keeps only harmless characters (quotes, backslashes, ``;`` and non-ASCII become
    ``_``), so no name can end the header value or add a parameter; ``filename*`` carries the real name.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = _UNSAFE_ASCII.sub("_", ascii_name).strip()
    if not fallback or fallback.startswith("."):  # nothing ASCII was left of the stem: 日本.txt → file.txt
        fallback = "file" + fallback
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
