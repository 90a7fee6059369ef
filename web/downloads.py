"""File downloads: a CSV streamed to the browser, never cached."""

from __future__ import annotations

from collections.abc import AsyncIterable

from litestar.response import Stream


def csv_download(body: AsyncIterable[str | bytes], filename: str) -> Stream:
    """Stream ``body`` as ``filename``; ``no-store``, because an export holds tenant data a shared cache must not keep."""
    return Stream(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
