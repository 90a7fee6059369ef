"""File rules: uploads checked for size and type, versions, access levels, the access log, audited writes,
and following the records files hang on (deleted with them, moved on a merge).

Contents go to storage before the rows are written; a failure after that removes the blob again. Blobs of
deleted files are removed after the commit, by the ``files.delete_blobs`` actor sent through the outbox, so a
rolled-back deletion never loses content.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from sampark.platform.db.sql import fetch, fetchrow, fetchval
from sampark.platform.i18n import gettext as _
from sampark.platform.outbox.service import enqueue
from sampark.platform.storage.base import new_key
from sampark.platform.storage.factory import get_storage, upload_limit
from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.policy import Principal, current_principal, require
from sampark.tenants.audit.services import record_change
from sampark.tenants.files.names import clean_name
from sampark.tenants.files.queries import OBJECT, get_file, list_files, versions
from sampark.tenants.files.schemas import (
    FileError,
    FileNotFound,
    FileRecordReadOnly,
    FileVersionView,
    FileView,
    VersionConflict,
)
from sampark.tenants.files.tables import File
from sampark.tenants.files.validation import ACCESS_LEVELS, SNIFF_BYTES, check_content, file_type, too_large
from sampark.tenants.records.links import (
    register_convert_hook,
    register_link_hooks,
    resolve_writable_link,
)

__all__ = [
    "add_version", "change_access", "delete_file", "get_file", "list_files", "open_file", "read_version",
    "upload_file",
]  # fmt: skip

AUDIT_TYPE = "file"
DELETE_BLOBS = "files.delete_blobs"
MAX_NOTE = 500


def snapshot(view: FileView) -> dict[str, Any]:
    """The audited form of a file."""
    return {
        "name": view.name,
        "record_type": view.record_type,
        "record_id": view.record_id,
        "current_version": view.current_version,
        "access_level": view.access_level,
        "access_role": view.access_role,
        "owner_id": view.owner_id,
    }


async def _log(file_id: int, action: str, file_version: int | None, user_id: int | None) -> None:
    await fetchrow(
        File,
        "INSERT INTO file_access_log (file_id, file_version, user_id, action) VALUES ($1, $2, $3, $4)",
        file_id, file_version, user_id, action,
    )  # fmt: skip


async def _checked(chunks: AsyncIterator[bytes], name: str, limit: int) -> AsyncIterator[bytes]:
    """Pass ``chunks`` through, refusing a wrong type (from the first bytes) or more than ``limit`` bytes."""
    kind = file_type(name)
    source = chunks.__aiter__()
    head, complete = b"", False
    while len(head) < SNIFF_BYTES:
        try:
            head += await anext(source)
        except StopAsyncIteration:
            complete = True
            break
    if not head:
        raise FileError({"file": _("The file is empty.")})
    check_content(kind, head, complete=complete)
    size = len(head)
    if size > limit:
        raise too_large(limit)
    yield head
    async for chunk in source:
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        yield chunk


async def _store(name: str, chunks: AsyncIterator[bytes]) -> tuple[str, int, str]:
    """Stream checked content to a new key: (key, size, sha256)."""
    key = new_key(current_tenant().id)
    blob = await get_storage().put(key, _checked(chunks, name, upload_limit()))
    return key, blob.size, blob.sha256


async def _insert_version(file_id: int, number: int, name: str, stored: tuple[str, int, str], note: str,
                          principal: Principal) -> None:  # fmt: skip
    key, size, sha256 = stored
    await fetchrow(
        File,
        "INSERT INTO file_versions (file_id, number, storage_key, size, content_type, sha256, uploaded_by, note)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        file_id, number, key, size, file_type(name).content_type, sha256, principal.user_id, note[:MAX_NOTE],
    )  # fmt: skip


async def _discard(key: str) -> None:
    with contextlib.suppress(Exception):  # best effort: the original error is what matters
        await get_storage().delete(key)


async def _clean_access(level: str, role: str) -> tuple[str, str]:
    if level not in ACCESS_LEVELS:
        raise FileError({"access_level": _("Choose who may see this file.")})
    if level != "role":
        return level, ""
    if not role or not await fetchval(File, "SELECT 1 FROM roles WHERE key = $1", role):
        raise FileError({"access_role": _("Choose a role from the list.")})
    return level, role


async def upload_file(
    record_type: str,
    record_id: int,
    filename: str,
    chunks: AsyncIterator[bytes],
    *,
    note: str = "",
    access_level: str = "everyone",
    access_role: str = "",
) -> FileView:
    """Attach a new file to a record the principal may see, owned by the principal, and audit it.

    Raises:
        PermissionDenied: the principal may not add files.
        FileNotFound: the record does not exist or is not visible.
        FileTooLarge, FileTypeRefused, FileError: refused content or bad access settings.
    """
    principal = require(OBJECT, "create", record=False)
    record, refused = await resolve_writable_link(record_type, record_id)
    if record is None:
        raise FileNotFound(record_id)
    if refused:
        raise FileRecordReadOnly({"file": refused})
    name = clean_name(filename)
    level, role = await _clean_access(access_level, access_role)
    stored = await _store(name, chunks)
    try:
        file_id = await fetchval(
            File,
            "INSERT INTO files (record_type, record_id, name, access_level, access_role, owner_id)"
            " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            record_type, record_id, name, level, role, principal.user_id,
        )  # fmt: skip
        await _insert_version(file_id, 1, name, stored, note, principal)
        await _log(file_id, "upload", 1, principal.user_id)
    except BaseException:
        await _discard(stored[0])
        raise
    view = await get_file(file_id)
    assert view is not None  # just written by this principal, who owns it
    await record_change("create", AUDIT_TYPE, file_id, actor_user_id=principal.user_id, after=snapshot(view))
    return view


async def _locked(file_id: int, action: str, expected_version: int | None) -> tuple[FileView, Principal]:
    current = await get_file(file_id, lock=True)
    if current is None:
        raise FileNotFound(file_id)
    principal = require(OBJECT, action, owner_id=current.owner_id)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    return current, principal


async def add_version(
    file_id: int, filename: str, chunks: AsyncIterator[bytes], *, expected_version: int | None, note: str = ""
) -> FileView:
    """Upload new content for a file; it becomes the current version (the file keeps its name).

    Raises:
        FileNotFound, PermissionDenied, VersionConflict, FileTooLarge, FileTypeRefused.
    """
    current, principal = await _locked(file_id, "edit", expected_version)
    if file_type(clean_name(filename)).content_type != file_type(current.name).content_type:
        raise FileError({"file": _("A new version must be the same type of file as the first one.")})
    stored = await _store(current.name, chunks)
    number = (
        int(await fetchval(File, "SELECT max(number) FROM file_versions WHERE file_id = $1", file_id)) + 1
    )
    try:
        await _insert_version(file_id, number, current.name, stored, note, principal)
        await fetchrow(
            File,
            "UPDATE files SET current_version = $2, version = version + 1, updated_at = now() WHERE id = $1",
            file_id, number,
        )  # fmt: skip
        await _log(file_id, "new_version", number, principal.user_id)
    except BaseException:
        await _discard(stored[0])
        raise
    view = await get_file(file_id)
    assert view is not None
    await record_change(
        "update", AUDIT_TYPE, file_id, actor_user_id=principal.user_id, before=snapshot(current), after=snapshot(view)
    )  # fmt: skip
    return view


async def change_access(
    file_id: int, access_level: str, access_role: str = "", *, expected_version: int | None
) -> FileView:
    """Set who may see the file (everyone, team, owner, or one role).

    Raises:
        FileNotFound, PermissionDenied, VersionConflict, FileError (unknown level or role).
    """
    current, principal = await _locked(file_id, "edit", expected_version)
    level, role = await _clean_access(access_level, access_role)
    if (level, role) == (current.access_level, current.access_role):
        return current
    await fetchrow(
        File,
        "UPDATE files SET access_level = $2, access_role = $3, version = version + 1, updated_at = now()"
        " WHERE id = $1",
        file_id, level, role,
    )  # fmt: skip
    await _log(file_id, "access", current.current_version, principal.user_id)
    # The owner and admins always keep access, so the file is still visible to whoever may change it.
    view = await get_file(file_id) or replace(current, access_level=level, access_role=role)
    await record_change(
        "update", AUDIT_TYPE, file_id, actor_user_id=principal.user_id, before=snapshot(current), after=snapshot(view)
    )  # fmt: skip
    return view


async def _forget(rows: list[Any], user_id: int | None) -> None:
    """Log, audit and schedule blob removal for files just deleted (``rows``: id, name, ..., keys)."""
    keys: list[str] = []
    for row in rows:
        keys.extend(row["keys"] or [])
        await _log(row["id"], "delete", row["current_version"], user_id)
        before = {
            name: row[name] for name in ("name", "record_type", "record_id", "access_level", "owner_id")
        }
        await record_change("delete", AUDIT_TYPE, row["id"], actor_user_id=user_id, before=before)
    if keys:
        await enqueue(DELETE_BLOBS, keys)


_DELETE = """
WITH gone AS (DELETE FROM files f WHERE {where} RETURNING f.*)
SELECT gone.*, ARRAY(SELECT storage_key FROM file_versions v WHERE v.file_id = gone.id) AS keys FROM gone
"""
# The versions' keys are read before the cascade removes them: the CTE's DELETE and the subquery see the same
# snapshot, in which the versions still exist.


async def delete_file(file_id: int, *, expected_version: int | None) -> FileView:
    """Delete a file and all its versions; the stored contents are removed after the commit.

    Raises:
        FileNotFound, PermissionDenied, VersionConflict.
    """
    current, principal = await _locked(file_id, "delete", expected_version)
    rows = await fetch(File, _DELETE.format(where="f.id = $1"), file_id)
    await _forget(rows, principal.user_id)
    return current


async def open_file(file_id: int) -> FileView:
    """The file for its page or the API, recording that the principal opened it.

    Raises:
        FileNotFound: missing, or closed to the principal.
    """
    view = await get_file(file_id)
    if view is None:
        raise FileNotFound(file_id)
    await _log(file_id, "open", view.current_version, require(OBJECT, "view", owner_id=view.owner_id).user_id)
    return view


async def read_version(file_id: int, number: int | None = None) -> tuple[FileView, FileVersionView]:
    """The file and one version (the current one by default) for a download, recording the download.

    Raises:
        FileNotFound: missing, closed to the principal, or no such version.
    """
    view = await get_file(file_id)
    wanted = view.current_version if view is not None and number is None else number
    found = [item for item in await versions(file_id) if item.number == wanted] if view else []
    if view is None or not found:
        raise FileNotFound(file_id)
    principal = require(OBJECT, "view", owner_id=view.owner_id)
    await _log(file_id, "download", found[0].number, principal.user_id)
    return view, found[0]


async def _record_deleted(record_type: str, record_id: int) -> None:
    """A record is being deleted: its files go with it (every one, whatever its access level)."""
    rows = await fetch(
        File, _DELETE.format(where="f.record_type = $1 AND f.record_id = $2"), record_type, record_id
    )
    await _forget(rows, current_principal().user_id)


async def _relink(from_type: str, from_id: int, to_type: str, to_id: int) -> None:
    """The files of one record now belong to another (a merge, or a lead converted into a contact)."""
    rows = await fetch(
        File,
        "UPDATE files SET record_type = $3, record_id = $4, version = version + 1, updated_at = now()"
        " WHERE record_type = $1 AND record_id = $2 RETURNING id",
        from_type, from_id, to_type, to_id,
    )  # fmt: skip
    before = {"record_type": from_type, "record_id": from_id}
    after = {"record_type": to_type, "record_id": to_id}
    for row in rows:
        await record_change(
            "update", AUDIT_TYPE, row["id"], actor_user_id=current_principal().user_id,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )  # fmt: skip


async def _record_merged(record_type: str, from_id: int, into_id: int) -> None:
    """``from_id`` is merged into ``into_id``: its files move to the surviving record."""
    await _relink(record_type, from_id, record_type, into_id)


register_link_hooks("files", on_delete=_record_deleted, on_merge=_record_merged)
register_convert_hook("files", _relink)
