"""File services: uploads, limits, versions, access levels, access log, audit, record deletion and merge."""

from __future__ import annotations

import json

import pytest

from sampark.platform.db.sql import fetch
from sampark.platform.storage.local import LocalStorage
from sampark.tenants.access.teams import TeamInput, create_team
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.contacts.services import create_contact, delete_contact
from sampark.tenants.files import services
from sampark.tenants.files.queries import access_log, versions
from sampark.tenants.files.schemas import (
    FileError,
    FileNotFound,
    FileTooLarge,
    FileTypeRefused,
    VersionConflict,
)
from sampark.tenants.records.links import record_merged
from tests.integration.files.conftest import LIMIT, PDF, PNG, chunks
from tests.support.web import acting_in, make_member


async def _read(storage: LocalStorage, key: str) -> bytes:
    return b"".join([chunk async for chunk in storage.open(key)])


async def test_upload_versions_download_and_log(tenant, storage: LocalStorage) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        ann = await create_contact({"first_name": "Ann"})
        uploaded = await services.upload_file("contact", ann.id, "../../etc/Report <b>.pdf", chunks(PDF))
        assert uploaded.name == "Report <b>.pdf" and uploaded.size == len(PDF)
        assert uploaded.content_type == "application/pdf" and uploaded.current_version == 1
        second = await services.add_version(uploaded.id, "v2.pdf", chunks(PDF + b"more"), expected_version=1)
        assert second.current_version == 2 and second.versions_count == 2 and second.version == 2
        with pytest.raises(VersionConflict):
            await services.add_version(uploaded.id, "v3.pdf", chunks(PDF), expected_version=1)
        _view, first = await services.read_version(uploaded.id, 1)
        assert await _read(storage, first.storage_key) == PDF
        _, current = await services.read_version(uploaded.id)
        assert current.number == 2 and await _read(storage, current.storage_key) == PDF + b"more"
        assert first.storage_key.startswith(f"{tenant.id}/")
        await services.open_file(uploaded.id)
        log = await access_log(uploaded.id)
        assert [entry.action for entry in log] == ["open", "download", "download", "new_version", "upload"]
        assert {entry.user_id for entry in log} == {admin.id}
        audit = await AuditEntry.select().where(AuditEntry.object_type == "file").order_by(AuditEntry.id)
        assert [entry["action"] for entry in audit] == ["create", "update"]
        assert json.loads(audit[1]["changes"])["current_version"] == {"before": 1, "after": 2}


async def test_size_and_type_limits(tenant, storage: LocalStorage) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        ann = await create_contact({"first_name": "Ann"})
        with pytest.raises(FileTooLarge):
            await services.upload_file("contact", ann.id, "big.pdf", chunks(PDF, b"x" * LIMIT))
        refused = [
            ("tool.exe", b"MZ\x90\x00"),
            ("page.html", b"<html></html>"),
            ("logo.svg", b"<svg/>"),
            ("fake.pdf", b"MZ not a pdf"),
            ("fake.png", PDF),
            ("notes.txt", b"<!DOCTYPE html><script>alert(1)</script>"),
            ("notes.txt", b"\x00\x01binary"),
            ("script.sh", b"#!/bin/sh"),
            ("noextension", b"hello"),
        ]
        for name, content in refused:
            with pytest.raises(FileTypeRefused):
                await services.upload_file("contact", ann.id, name, chunks(content))
        with pytest.raises(FileError):
            await services.upload_file("contact", ann.id, "empty.txt", chunks(b""))
        ok = await services.upload_file("contact", ann.id, "image.png", chunks(PNG))
        assert ok.content_type == "image/png"
        with pytest.raises(FileError):  # a new version must keep the type
            await services.add_version(ok.id, "other.pdf", chunks(PDF), expected_version=None)
        files = await fetch_all()
        assert [row["name"] for row in files] == ["image.png"]
    # Refused uploads leave no blob behind.
    stored = [path for path in storage.root.rglob("*") if path.is_file()]
    assert len(stored) == 1


async def fetch_all():
    from sampark.tenants.files.tables import File

    return await fetch(File, "SELECT * FROM files ORDER BY id")


async def test_access_levels(tenant, storage: LocalStorage) -> None:
    admin = await make_member(tenant)
    owner = await make_member(tenant, role="support")
    mate = await make_member(tenant, role="support")
    outsider = await make_member(tenant, role="support")
    reader = await make_member(tenant, role="read-only")
    async with acting_in(tenant, admin):
        await create_team(TeamInput(name="North", member_ids=[owner.id, mate.id]))
        ann = await create_contact({"first_name": "Ann"})
    async with acting_in(tenant, owner):
        shared = await services.upload_file("contact", ann.id, "all.txt", chunks(b"for all"))
        teamed = await services.upload_file("contact", ann.id, "team.txt", chunks(b"t"), access_level="team")
        private = await services.upload_file("contact", ann.id, "me.txt", chunks(b"m"), access_level="owner")
        by_role = await services.upload_file(
            "contact", ann.id, "ro.txt", chunks(b"r"), access_level="role", access_role="read-only"
        )
        with pytest.raises(FileError):
            await services.upload_file(
                "contact", ann.id, "x.txt", chunks(b"r"), access_level="role", access_role="nope"
            )
        assert {f.id for f in (await services.list_files("contact", ann.id)).items} == {
            shared.id,
            teamed.id,
            private.id,
            by_role.id,
        }
    expected = {
        mate: {shared.id, teamed.id},
        outsider: {shared.id},
        reader: {shared.id, by_role.id},
        admin: {shared.id, teamed.id, private.id, by_role.id},
    }
    for member, visible in expected.items():
        async with acting_in(tenant, member):
            page = await services.list_files("contact", ann.id)
            assert {f.id for f in page.items} == visible
            for hidden in {shared.id, teamed.id, private.id, by_role.id} - visible:
                with pytest.raises(FileNotFound):
                    await services.open_file(hidden)
                with pytest.raises(FileNotFound):
                    await services.read_version(hidden)
    async with acting_in(tenant, owner):
        changed = await services.change_access(private.id, "everyone", expected_version=private.version)
        assert changed.access_level == "everyone" and changed.version == private.version + 1
    async with acting_in(tenant, outsider):
        await services.open_file(private.id)


async def test_sales_see_files_of_their_own_records_only(tenant, storage: LocalStorage) -> None:
    admin = await make_member(tenant)
    seller = await make_member(tenant, role="sales")
    async with acting_in(tenant, admin):
        ann = await create_contact({"first_name": "Ann"})
        mine = await services.upload_file("contact", ann.id, "a.txt", chunks(b"a"))
    async with acting_in(tenant, seller):
        assert await services.list_files("contact", ann.id) is None
        with pytest.raises(FileNotFound):
            await services.open_file(mine.id)
        with pytest.raises(FileNotFound):
            await services.upload_file("contact", ann.id, "b.txt", chunks(b"b"))


async def test_deleting_a_record_deletes_its_files_and_schedules_the_blobs(
    tenant, storage: LocalStorage
) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        ann = await create_contact({"first_name": "Ann"})
        bob = await create_contact({"first_name": "Bob"})
        gone = await services.upload_file("contact", ann.id, "a.txt", chunks(b"a"))
        await services.add_version(gone.id, "a2.txt", chunks(b"a2"), expected_version=None)
        kept = await services.upload_file("contact", bob.id, "b.txt", chunks(b"b"))
        keys = [item.storage_key for item in await versions(gone.id)]
        await delete_contact(ann.id, expected_version=None)
        assert [row["id"] for row in await fetch_all()] == [kept.id]
        audit = await AuditEntry.select().where(
            (AuditEntry.object_type == "file") & (AuditEntry.action == "delete")
        )
        assert [entry["object_id"] for entry in audit] == [gone.id]
        assert next(entry.action for entry in await access_log(gone.id)) == "delete"
    outbox = await fetch_outbox(tenant.id)
    assert [(row["actor_name"], sorted(row["args"][0])) for row in outbox] == [
        ("files.delete_blobs", sorted(keys))
    ]
    # The actor's work, run here directly: the blobs go, another tenant's keys are never touched.
    from sampark.workers.files import delete_blobs

    assert all([await storage.exists(key) for key in keys])
    async with acting_in(tenant, admin):
        await delete_blobs.fn.__wrapped__([*keys, "999999/" + "a" * 32])
    assert not any([await storage.exists(key) for key in keys])


async def fetch_outbox(tenant_id: int):
    import json

    from sampark.platform.db.engine import get_engine

    rows = await get_engine().pool.fetch(
        "SELECT actor_name, args FROM public.outbox WHERE tenant_id = $1 ORDER BY id", tenant_id
    )
    return [{"actor_name": row["actor_name"], "args": json.loads(row["args"])} for row in rows]


async def test_merge_moves_files(tenant, storage: LocalStorage) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        ann = await create_contact({"first_name": "Ann"})
        bob = await create_contact({"first_name": "Bob"})
        moved = await services.upload_file("contact", ann.id, "a.txt", chunks(b"a"))
        await record_merged("contact", ann.id, bob.id)
        assert [f.id for f in (await services.list_files("contact", bob.id)).items] == [moved.id]
