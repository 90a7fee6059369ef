"""``/t/<slug>/api/v1/files``: list a record's files, metadata, upload (multipart), download, new version,
PATCH the access level (If-Match), delete (If-Match). Rules and errors as in docs/files.md."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, delete, get, patch, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_204_NO_CONTENT

from sampark.tenants.files import services
from sampark.tenants.files.queries import MAX_PAGE_SIZE, versions
from sampark.tenants.files.schemas import FileNotFound, FileRefused, FileView
from sampark.tenants.search.listing import ListError
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS, expected_version, list_error
from sampark.web.deps import CurrentTenant
from sampark.web.files.schemas import (
    AccessPatch,
    FileDetailOut,
    FileList,
    FileUpload,
    VersionUpload,
    file_detail,
)
from sampark.web.files.transfer import UPLOAD_BODY_LIMIT, download, upload_chunks

IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="the ETag last read")]


def refused(request: Request[Any, Any, Any], exc: FileRefused) -> Response[Any]:
    """413 ``file_too_large``, 415 ``unsupported_file_type`` or 422, with the message per field."""
    body = {"error": {"code": exc.code, "message": next(iter(exc.errors.values())), "details": exc.errors}}
    return Response(body, status_code=exc.status, media_type=MediaType.JSON)


class FileApiController(Controller):
    path = "/api/v1/files"
    tags = ["files"]
    exception_handlers = {**API_EXCEPTION_HANDLERS, FileRefused: refused}

    @get("/")
    async def list_files(
        self,
        tenant: CurrentTenant,
        record_type: Annotated[str, QueryParameter(max_length=32, description="contact, company, ...")],
        record_id: Annotated[int, QueryParameter(ge=1)],
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 50,
        cursor: Annotated[
            str | None, QueryParameter(max_length=500, description="next_cursor of the last page")
        ] = None,
        sort: Annotated[
            str | None, QueryParameter(description="id, name or updated_at; prefix - for descending")
        ] = None,
    ) -> FileList:
        """The record's files the caller may see, newest first; 404 when the record is not visible."""
        try:
            page = await services.list_files(record_type, record_id, limit=limit, cursor=cursor, sort=sort)
        except ListError as problem:
            raise list_error(problem) from None
        if page is None:
            raise FileNotFound(record_id)
        return FileList(page.items, page.next_cursor)

    @get("/{file_id:int}")
    async def get_file(self, tenant: CurrentTenant, file_id: FromPath[int]) -> Response[FileDetailOut]:
        """A file's metadata and versions with its ``ETag`` (recorded as an "open")."""
        view = await services.open_file(file_id)
        return Response(file_detail(view, await versions(file_id)), headers={"ETag": view.etag})

    @get("/{file_id:int}/content", media_type=MediaType.TEXT)
    async def content(
        self,
        tenant: CurrentTenant,
        file_id: FromPath[int],
        version: Annotated[
            int | None, QueryParameter(ge=1, description="a version number; the current one if left out")
        ] = None,
    ) -> Stream:
        """The content as an attachment with its own Content-Type (recorded as a "download")."""
        view, chosen = await services.read_version(file_id, version)
        return download(view, chosen)

    @post("/", request_max_body_size=UPLOAD_BODY_LIMIT)
    async def upload(
        self,
        tenant: CurrentTenant,
        data: Annotated[FileUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[FileView]:
        """Upload a file to a record: 201 with ``Location`` and ``ETag``; 413, 415, 422 as documented."""
        view = await services.upload_file(
            data.record_type, data.record_id, data.file.filename or "", upload_chunks(data.file),
            note=data.note, access_level=data.access_level, access_role=data.access_role,
        )  # fmt: skip
        location = f"/t/{tenant.slug}/api/v1/files/{view.id}"
        return Response(view, status_code=201, headers={"ETag": view.etag, "Location": location})

    @post("/{file_id:int}/versions", request_max_body_size=UPLOAD_BODY_LIMIT)
    async def new_version(
        self,
        tenant: CurrentTenant,
        file_id: FromPath[int],
        data: Annotated[VersionUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        if_match: IfMatch = None,
    ) -> Response[FileView]:
        """Upload new content; it becomes the current version. 428 without ``If-Match``, 412 when stale."""
        version = expected_version(if_match)
        view = await services.add_version(
            file_id,
            data.file.filename or "",
            upload_chunks(data.file),
            expected_version=version,
            note=data.note,
        )
        return Response(view, status_code=201, headers={"ETag": view.etag})

    @patch("/{file_id:int}")
    async def change_access(
        self,
        tenant: CurrentTenant,
        file_id: FromPath[int],
        data: JSONBody[AccessPatch],
        if_match: IfMatch = None,
    ) -> Response[FileView]:
        """Change who may see the file (``everyone``, ``team``, ``owner``, ``role`` with ``access_role``)."""
        version = expected_version(if_match)
        view = await services.change_access(
            file_id, data.access_level, data.access_role, expected_version=version
        )
        return Response(view, headers={"ETag": view.etag})

    @delete("/{file_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def delete_file(
        self, tenant: CurrentTenant, file_id: FromPath[int], if_match: IfMatch = None
    ) -> None:
        """Delete the file and all its versions. 428/412 as for PATCH."""
        await services.delete_file(file_id, expected_version=expected_version(if_match))
