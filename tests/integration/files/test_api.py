"""The files JSON API: list by record, metadata with ETag, multipart upload, download, versions, PATCH, delete."""

from __future__ import annotations

from sampark.tenants.files import services
from tests.integration.files.conftest import LIMIT, PDF, chunks
from tests.support.web import acting_in, add_contact, api_session, make_member


async def _post(client, slug: str, record_id: int, name: str, content: bytes, **form):
    data = {"record_type": "contact", "record_id": str(record_id), **form}
    return await client.post(
        f"/t/{slug}/api/v1/files", data=data, files={"file": (name, content, "text/plain")}
    )


async def test_api_round_trip(client, tenant, storage) -> None:
    admin = await make_member(tenant)
    await api_session(client, tenant, admin)
    ann = await add_contact(tenant, admin, "Ann")
    base = f"/t/{tenant.slug}/api/v1/files"
    created = await _post(client, tenant.slug, ann, "notes.md", b"# Notes\n", note="first")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["name"] == "notes.md" and body["content_type"] == "text/markdown; charset=utf-8"
    assert created.headers["location"] == f"{base}/{body['id']}" and created.headers["etag"] == '"v1"'
    assert "storage_key" not in created.text
    listed = await client.get(base, params={"record_type": "contact", "record_id": ann})
    assert [item["id"] for item in listed.json()["items"]] == [body["id"]]
    detail = await client.get(f"{base}/{body['id']}")
    assert detail.headers["etag"] == '"v1"' and detail.json()["versions"][0]["note"] == "first"
    assert "storage_key" not in detail.text
    # A new version needs If-Match.
    url = f"{base}/{body['id']}/versions"
    files = {"file": ("notes2.md", b"# Notes v2\n", "text/markdown")}
    assert (await client.post(url, files=files)).json()["error"]["code"] == "precondition_required"
    stale = await client.post(url, files=files, headers={"If-Match": '"v9"'})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition_failed"
    added = await client.post(url, files=files, headers={"If-Match": '"v1"'})
    assert added.status_code == 201 and added.json()["current_version"] == 2
    content = await client.get(f"{base}/{body['id']}/content")
    assert content.content == b"# Notes v2\n" and content.headers["x-content-type-options"] == "nosniff"
    assert content.headers["content-disposition"].startswith("attachment;")
    old = await client.get(f"{base}/{body['id']}/content", params={"version": 1})
    assert old.content == b"# Notes\n"
    # PATCH the access level.
    bad = await client.patch(
        f"{base}/{body['id']}", json={"access_level": "martians"}, headers={"If-Match": "*"}
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"]["access_level"]
    patched = await client.patch(
        f"{base}/{body['id']}", json={"access_level": "team"}, headers={"If-Match": '"v2"'}
    )
    assert patched.status_code == 200 and patched.json()["access_level"] == "team"
    assert patched.headers["etag"] == '"v3"'
    assert (await client.delete(f"{base}/{body['id']}")).status_code == 428
    assert (await client.delete(f"{base}/{body['id']}", headers={"If-Match": '"v3"'})).status_code == 204
    assert (await client.get(f"{base}/{body['id']}")).json()["error"]["code"] == "not_found"


async def test_api_errors_have_stable_codes(client, tenant, storage) -> None:
    admin = await make_member(tenant)
    await api_session(client, tenant, admin)
    ann = await add_contact(tenant, admin, "Ann")
    base = f"/t/{tenant.slug}/api/v1/files"
    big = await _post(client, tenant.slug, ann, "big.txt", b"x" * (LIMIT + 1))
    assert big.status_code == 413 and big.json()["error"]["code"] == "file_too_large"
    exe = await _post(client, tenant.slug, ann, "run.exe", b"MZ")
    assert exe.status_code == 415 and exe.json()["error"]["code"] == "unsupported_file_type"
    html = await _post(client, tenant.slug, ann, "page.txt", b"<html><script>alert(1)</script>")
    assert html.status_code == 415
    missing = await client.post(base, data={"record_type": "contact", "record_id": str(ann)})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "bad_request"
    nowhere = await _post(client, tenant.slug, 10**12, "a.txt", b"a")
    assert nowhere.status_code == 404 and nowhere.json()["error"]["code"] == "not_found"
    unknown = await client.get(base, params={"record_type": "spaceship", "record_id": 1})
    assert unknown.status_code == 404
    bad_cursor = await client.get(base, params={"record_type": "contact", "record_id": ann, "cursor": "zzz"})
    assert bad_cursor.status_code == 400 and bad_cursor.json()["error"]["code"] == "invalid_cursor"
    schema = (await client.get("/api/schema/openapi.json")).json()
    assert {"/t/{slug}/api/v1/files", "/t/{slug}/api/v1/files/{file_id}/content"} <= set(schema["paths"])


async def test_api_isolation_and_access_levels(client, tenant, make_tenant, storage) -> None:
    admin = await make_member(tenant)
    outsider = await make_member(tenant, role="support")
    ann = await add_contact(tenant, admin, "Ann")
    async with acting_in(tenant, admin):
        secret = await services.upload_file("contact", ann, "secret.txt", chunks(b"s"), access_level="owner")
        shared = await services.upload_file("contact", ann, "shared.pdf", chunks(PDF))
    await api_session(client, tenant, outsider)
    base = f"/t/{tenant.slug}/api/v1/files"
    listed = await client.get(base, params={"record_type": "contact", "record_id": ann})
    assert [item["id"] for item in listed.json()["items"]] == [shared.id]
    for path in (f"/{secret.id}", f"/{secret.id}/content"):
        assert (await client.get(base + path)).status_code == 404
    patched = await client.patch(
        f"{base}/{secret.id}", json={"access_level": "everyone"}, headers={"If-Match": "*"}
    )
    assert patched.status_code == 404
    other = await make_tenant()
    stranger = await make_member(other)
    client.cookies.clear()
    await api_session(client, other, stranger)
    other_base = f"/t/{other.slug}/api/v1/files"
    for path in (f"/{shared.id}", f"/{shared.id}/content"):
        assert (await client.get(other_base + path)).status_code == 404
    assert (await client.delete(f"{other_base}/{shared.id}", headers={"If-Match": "*"})).status_code == 404
    assert (
        await client.patch(
            f"{other_base}/{shared.id}", json={"access_level": "team"}, headers={"If-Match": "*"}
        )
    ).status_code == 404
    versions = await client.post(
        f"{other_base}/{shared.id}/versions",
        files={"file": ("a.pdf", PDF, "application/pdf")},
        headers={"If-Match": "*"},
    )
    assert versions.status_code == 404
    listed = await client.get(other_base, params={"record_type": "contact", "record_id": ann})
    assert listed.status_code == 404
