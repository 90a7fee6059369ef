"""File reads. Every read applies three checks in SQL: the ``files`` permission scope (by file owner), the
file's access level, and (by the caller) that the principal may see the record the file hangs on.

Access levels: ``everyone`` (whoever may see the record), ``team`` (members sharing a team with the file's
owner), ``owner`` (the owner), ``role`` (members with ``access_role``). The owner and admins always pass.
"""

from __future__ import annotations

from sampark.platform.db.sql import fetch, fetchrow
from sampark.tenants.access.policy import current_principal
from sampark.tenants.files.schemas import AccessEntry, FilePage, FileVersionView, FileView, file_from_row
from sampark.tenants.files.tables import File
from sampark.tenants.records.links import resolve_link
from sampark.tenants.records.queries import list_rows, owner_scope
from sampark.tenants.search.listing import ListSpec, Sort, Sql

__all__ = ["MAX_PAGE_SIZE", "OBJECT", "access_log", "get_file", "list_files", "versions"]

OBJECT = "files"
MAX_PAGE_SIZE = 100
ADMIN_ROLES = frozenset({"admin", "system"})
COLUMNS = (
    "f.id, f.record_type, f.record_id, f.name, f.current_version, f.access_level, f.access_role, f.owner_id,"
    " f.version, f.created_at, f.updated_at, v.size, v.content_type, v.uploaded_by, v.uploaded_at,"
    " (SELECT count(*) FROM file_versions n WHERE n.file_id = f.id) AS versions_count"
)
JOIN = "JOIN file_versions v ON v.file_id = f.id AND v.number = f.current_version"

LIST_SPEC = ListSpec(
    filters={},
    sorts={
        "id": Sort(("f.id",), ("int",)),
        "name": Sort(("lower(f.name)", "f.id"), ("text", "int")),
        "updated_at": Sort(("f.updated_at", "f.id"), ("datetime", "int")),
    },
    default_sort="-id",
)


def access_condition(sql: Sql, alias: str = "f") -> str:
    """A SQL boolean: does the file's access level let the principal in?"""
    principal = current_principal()
    if principal.role_key in ADMIN_ROLES:
        return "true"
    me = sql.bind(principal.user_id)
    team = sql.bind(sorted(principal.team_user_ids))
    role = sql.bind(principal.role_key)
    return (
        f"({alias}.owner_id = {me} OR {alias}.access_level = 'everyone'"
        f" OR ({alias}.access_level = 'team' AND {alias}.owner_id = ANY({team}::bigint[]))"
        f" OR ({alias}.access_level = 'role' AND {alias}.access_role = {role}))"
    )


def scope(sql: Sql, alias: str = "f") -> None:
    """Limit ``sql`` to files the principal may see by role scope and access level (PermissionDenied: none)."""
    owner_scope(sql, OBJECT, alias)
    sql.where(access_condition(sql, alias))


async def get_file(file_id: int, *, lock: bool = False) -> FileView | None:
    """One file, or None when it does not exist, its access level or its record is closed to the principal."""
    if not 0 < file_id < 2**63:
        return None
    sql = Sql()
    sql.where(f"f.id = {sql.bind(file_id)}")
    scope(sql)
    query = f"SELECT {COLUMNS} FROM files f {JOIN} {sql.where_sql()}" + (" FOR UPDATE OF f" if lock else "")
    row = await fetchrow(File, query, *sql.params)
    if row is None or await resolve_link(row["record_type"], row["record_id"]) is None:
        return None
    return file_from_row(row)


async def list_files(
    record_type: str, record_id: int, *, limit: int = 25, cursor: str | None = None, sort: str | None = None
) -> FilePage | None:
    """A keyset page of the record's files the principal may see; None when the record is not visible.

    Raises:
        ListError: an unknown sort or a foreign cursor.
        PermissionDenied: the principal may not see files at all.
    """
    if await resolve_link(record_type, record_id) is None:
        return None

    def where(sql: Sql) -> str:
        sql.where(f"f.record_type = {sql.bind(record_type)} AND f.record_id = {sql.bind(record_id)}")
        sql.where(access_condition(sql))
        return JOIN

    page = await list_rows(
        File, LIST_SPEC, obj=OBJECT, alias="f", columns=COLUMNS, join=where, limit=limit,
        max_page_size=MAX_PAGE_SIZE, cursor=cursor, sort=sort, filters={},
    )  # fmt: skip
    return FilePage([file_from_row(row) for row in page.rows], page.next_cursor)


async def versions(file_id: int) -> list[FileVersionView]:
    """Every version of a file the caller already found with ``get_file``, newest first."""
    rows = await fetch(
        File,
        "SELECT number, size, content_type, sha256, uploaded_by, uploaded_at, note, storage_key"
        " FROM file_versions WHERE file_id = $1 ORDER BY number DESC",
        file_id,
    )
    return [FileVersionView(**dict(row)) for row in rows]


async def access_log(file_id: int, *, limit: int = 50) -> list[AccessEntry]:
    """The latest entries of "who worked on this file", newest first."""
    rows = await fetch(
        File,
        "SELECT id, action, user_id, file_version, at FROM file_access_log WHERE file_id = $1"
        " ORDER BY id DESC LIMIT $2",
        file_id,
        limit,
    )
    return [AccessEntry(**dict(row)) for row in rows]


async def role_choices() -> list[tuple[str, str]]:
    """(key, name) of every role, for the "members with this role" access level."""
    rows = await fetch(File, "SELECT key, name FROM roles ORDER BY name")
    return [(row["key"], row["name"]) for row in rows]
