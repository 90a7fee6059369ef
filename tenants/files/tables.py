"""Files on records, their stored versions, and who opened or changed them.

A file points at any record through ``(record_type, record_id)`` (``tenants/records/links.py``); its contents
live in storage under server-made keys, one per version. The access log has no foreign key on purpose: the
"deleted" entry outlives the file.
"""

from piccolo.columns import BigInt, BigSerial, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class File(Table, tablename="files"):
    """One attached file; ``current_version`` is the number of the version shown and downloaded by default."""

    id = BigSerial(primary_key=True)
    record_type = Varchar(length=32)
    record_id = BigInt()
    # The name as uploaded, cleaned of path parts and control characters (tenants/files/names.py).
    name = Varchar(length=255)
    current_version = Integer(default=1)
    # everyone / team / owner / role (access_role names the role for "role").
    access_level = Varchar(length=16, default="everyone")
    access_role = Varchar(length=64, default="")
    owner_id = BigInt(null=True, default=None, index=True)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class FileVersion(Table, tablename="file_versions"):
    """One uploaded content of a file; deleting the file deletes its versions (the blobs go after commit)."""

    id = BigSerial(primary_key=True)
    file: ForeignKey = ForeignKey(File, on_delete=OnDelete.cascade, db_column_name="file_id")
    number = Integer()
    storage_key = Varchar(length=64, unique=True)
    size = BigInt()
    content_type = Varchar(length=100)
    sha256 = Varchar(length=64)
    uploaded_by = BigInt(null=True, default=None)
    uploaded_at = Timestamptz()
    note = Varchar(length=500, default="")


class FileAccess(Table, tablename="file_access_log"):
    """Who worked on a file: upload, new_version, open, download, access, delete."""

    id = BigSerial(primary_key=True)
    file_id = BigInt()
    file_version = Integer(null=True, default=None)
    user_id = BigInt(null=True, default=None)
    action = Varchar(length=16)
    at = Timestamptz()


FILE_DDL = (
    'CREATE INDEX IF NOT EXISTS files_record ON "files" ("record_type", "record_id", "id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS file_versions_number ON "file_versions" ("file_id", "number")',
    'CREATE INDEX IF NOT EXISTS file_access_log_file ON "file_access_log" ("file_id", "id")',
)
