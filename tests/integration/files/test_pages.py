"""File pages: the section on record pages, uploads (htmx and plain), the file page, downloads, limits."""

from __future__ import annotations

from urllib.parse import quote

from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.files import services
from tests.integration.files.conftest import LIMIT, PDF, chunks
from tests.support.web import acting_in, add_company, add_contact, csrf_token, make_member, sign_in

HTMX = {"HX-Request": "true"}


async def _upload(
    client, slug: str, record: tuple[str, int], name: str, content: bytes, htmx: bool = True, **form
):
    page = await client.get(f"/t/{slug}/files/?record_type={record[0]}&record_id={record[1]}")
    data = {"_csrf_token": csrf_token(page), "record_type": record[0], "record_id": str(record[1]), **form}
    return await client.post(
        f"/t/{slug}/files/", data=data, files={"file": (name, content, "application/octet-stream")},
        headers=HTMX if htmx else {},
    )  # fmt: skip


async def _upload_raw(client, slug: str, token: str, record_id: int):
    return await client.post(
        f"/t/{slug}/files/", data={"_csrf_token": token, "record_type": "contact", "record_id": str(record_id)},
        files={"file": ("x.txt", b"x", "text/plain")}, headers=HTMX,
    )  # fmt: skip


async def test_upload_from_the_contact_section_and_see_it_listed(client, tenant, storage) -> None:
    admin = await make_member(tenant)
    await sign_in(client, admin)
    ann = await add_contact(tenant, admin, "Ann")
    detail = await client.get(f"/t/{tenant.slug}/contacts/{ann}")
    assert f'hx-get="/t/{tenant.slug}/files/?record_type=contact&amp;record_id={ann}"' in detail.text
    assert '<script src="/static/js/files.js"' in detail.text
    empty = await client.get(f"/t/{tenant.slug}/files/?record_type=contact&record_id={ann}", headers=HTMX)
    assert "No files yet." in empty.text and "<html" not in empty.text
    response = await _upload(client, tenant.slug, ("contact", ann), "Q3 report.pdf", PDF, note="draft")
    assert response.status_code == 201, response.text
    assert 'id="files-section"' in response.text and "Q3 report.pdf was uploaded." in response.text
    assert "Q3 report.pdf</a>" in response.text
    # Without htmx: a redirect back to the record, where the flash says so.
    plain = await _upload(client, tenant.slug, ("contact", ann), "second.txt", b"hello", htmx=False)
    assert plain.status_code == 303 and plain.headers["location"] == f"/t/{tenant.slug}/contacts/{ann}#files"
    listed = await client.get(f"/t/{tenant.slug}/files/?record_type=contact&record_id={ann}")
    assert "Q3 report.pdf" in listed.text and "second.txt" in listed.text
    company = await add_company(tenant, admin, "Acme")
    company_page = await client.get(f"/t/{tenant.slug}/companies/{company}")
    assert f"record_type=company&amp;record_id={company}" in company_page.text


async def test_limits_answer_413_and_415_with_messages(client, tenant, storage) -> None:
    admin = await make_member(tenant)
    await sign_in(client, admin)
    ann = await add_contact(tenant, admin, "Ann")
    big = await _upload(client, tenant.slug, ("contact", ann), "big.pdf", PDF + b"x" * LIMIT)
    assert (
        big.status_code == 413 and "The file is larger than" in big.text and 'id="files-section"' in big.text
    )
    exe = await _upload(client, tenant.slug, ("contact", ann), "setup.exe", b"MZ\x90\x00")
    assert exe.status_code == 415 and "This type of file cannot be uploaded." in exe.text
    svg = await _upload(client, tenant.slug, ("contact", ann), "logo.svg", b"<svg onload=alert(1)>")
    assert svg.status_code == 415
    none = await client.post(
        f"/t/{tenant.slug}/files/",
        data={"_csrf_token": csrf_token(await client.get(f"/t/{tenant.slug}/")), "record_type": "contact",
              "record_id": str(ann)},
        files={"file": ("", b"", "application/octet-stream")}, headers=HTMX,
    )  # fmt: skip
    assert none.status_code == 400 and "Choose a file to upload." in none.text


async def test_a_body_over_the_route_limit_is_refused_before_parsing(client, tenant, storage) -> None:
    from sampark.web.files.transfer import UPLOAD_BODY_LIMIT

    admin = await make_member(tenant)
    await sign_in(client, admin)
    ann = await add_contact(tenant, admin, "Ann")
    token = csrf_token(await client.get(f"/t/{tenant.slug}/"))
    response = await client.post(
        f"/t/{tenant.slug}/files/", files={"file": ("huge.pdf", b"%PDF-" + b"x" * UPLOAD_BODY_LIMIT, "application/pdf")},
        data={"record_type": "contact", "record_id": str(ann)}, headers={"x-csrftoken": token},
    )  # fmt: skip
    assert response.status_code == 413
    assert "The file is larger than 1 MB." in response.text  # the test limit, 64 KiB, rounds up


async def test_file_page_versions_download_access_log_and_delete(client, tenant, storage) -> None:
    admin = await make_member(tenant)
    await sign_in(client, admin)
    ann = await add_contact(tenant, admin, "Ann")
    name = '../"Qu<script>alert(1)<b>" résumé 📄.pdf'
    async with acting_in(tenant, admin):
        view = await services.upload_file("contact", ann, name, chunks(PDF))
    assert view.name == '"Qu<script>alert(1)<b>" résumé 📄.pdf'
    page = await client.get(f"/t/{tenant.slug}/files/{view.id}")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert "&#34;Qu&lt;script&gt;alert(1)&lt;b&gt;&#34; résumé 📄.pdf" in page.text
    # A new version through the page form.
    token = csrf_token(page)
    stale = await client.post(
        f"/t/{tenant.slug}/files/{view.id}/versions", data={"_csrf_token": token, "version": "99"},
        files={"file": ("v2.pdf", PDF + b"2", "application/pdf")},
    )  # fmt: skip
    assert stale.status_code == 409 and "Someone else changed this record" in stale.text
    added = await client.post(
        f"/t/{tenant.slug}/files/{view.id}/versions", data={"_csrf_token": token, "version": str(view.version)},
        files={"file": ("v2.pdf", PDF + b"2", "application/pdf")},
    )  # fmt: skip
    assert added.status_code == 303
    # Downloads: any version, as an attachment that cannot be sniffed or run.
    first = await client.get(f"/t/{tenant.slug}/files/{view.id}/download?version=1")
    assert first.status_code == 200 and first.content == PDF
    assert first.headers["content-type"] == "application/pdf"
    assert first.headers["x-content-type-options"] == "nosniff"
    assert first.headers["content-security-policy"].startswith("sandbox")
    disposition = first.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="_Qu_script_alert(1)_b__ resume .pdf"')
    assert "filename*=UTF-8''" + quote(view.name, safe="") in disposition
    assert '"' not in disposition.split("filename*=")[1] and "\n" not in disposition
    current = await client.get(f"/t/{tenant.slug}/files/{view.id}/download")
    assert current.content == PDF + b"2"
    missing = await client.get(f"/t/{tenant.slug}/files/{view.id}/download?version=7")
    assert missing.status_code == 404
    # Access level change, then the log shows who did what.
    page = await client.get(f"/t/{tenant.slug}/files/{view.id}")
    changed = await client.post(
        f"/t/{tenant.slug}/files/{view.id}/access",
        data={"_csrf_token": csrf_token(page), "version": "2", "access_level": "role", "access_role": "nope"},
    )
    assert changed.status_code == 400 and "Choose a role from the list." in changed.text
    changed = await client.post(
        f"/t/{tenant.slug}/files/{view.id}/access",
        data={"_csrf_token": csrf_token(page), "version": "2", "access_level": "owner"},
    )
    assert changed.status_code == 303
    page = await client.get(f"/t/{tenant.slug}/files/{view.id}")
    assert "Only the owner (and admins)" in page.text
    for label in ("Uploaded", "Uploaded a new version", "Downloaded", "Opened", "Changed who may see it"):
        assert label in page.text
    # Delete with confirmation, back to the contact.
    confirm = await client.get(f"/t/{tenant.slug}/files/{view.id}/delete")
    assert "All 2 versions will be deleted for good." in confirm.text
    gone = await client.post(
        f"/t/{tenant.slug}/files/{view.id}/delete", data={"_csrf_token": csrf_token(confirm), "version": "3"}
    )
    assert gone.status_code == 303 and gone.headers["location"] == f"/t/{tenant.slug}/contacts/{ann}"
    assert (await client.get(f"/t/{tenant.slug}/files/{view.id}")).status_code == 404
    async with acting_in(tenant, admin):
        actions = await AuditEntry.select(AuditEntry.action).where(AuditEntry.object_type == "file")
    assert [row["action"] for row in actions] == ["create", "update", "update", "delete"]


async def test_members_outside_the_team_and_other_tenants_get_404(
    client, tenant, make_tenant, storage
) -> None:
    admin = await make_member(tenant)
    outsider = await make_member(tenant, role="support")
    ann = await add_contact(tenant, admin, "Ann")
    async with acting_in(tenant, admin):
        secret = await services.upload_file("contact", ann, "secret.txt", chunks(b"s"), access_level="owner")
        shared = await services.upload_file("contact", ann, "shared.txt", chunks(b"s"))
    await sign_in(client, outsider)
    section = await client.get(f"/t/{tenant.slug}/files/?record_type=contact&record_id={ann}")
    assert "shared.txt" in section.text and "secret.txt" not in section.text
    for path in (f"/files/{secret.id}", f"/files/{secret.id}/download", f"/files/{secret.id}/delete"):
        assert (await client.get(f"/t/{tenant.slug}{path}")).status_code == 404, path
    other = await make_tenant()
    stranger = await make_member(other)
    client.cookies.clear()
    await sign_in(client, stranger)
    for path in (
        f"/files/{shared.id}", f"/files/{shared.id}/download", f"/files/{shared.id}/delete",
        f"/files/?record_type=contact&record_id={ann}",
    ):  # fmt: skip
        assert (await client.get(f"/t/{other.slug}{path}")).status_code == 404, path
    token = csrf_token(await client.get(f"/t/{other.slug}/"))
    for path in (f"/files/{shared.id}/delete", f"/files/{shared.id}/access"):
        response = await client.post(f"/t/{other.slug}{path}", data={"_csrf_token": token, "version": "1"})
        assert response.status_code == 404, path
    # Uploading to tenant A's contact id from tenant B finds no such record there.
    refused = await _upload_raw(client, other.slug, token, ann)
    assert refused.status_code == 404
