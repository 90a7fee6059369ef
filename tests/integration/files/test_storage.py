"""Storage backends: local round trips and traversal refusal; S3 against a real moto server over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sampark.platform.config.settings import Settings
from sampark.platform.storage.base import StorageError, new_key
from sampark.platform.storage.factory import storage_from_settings
from sampark.platform.storage.local import LocalStorage
from sampark.platform.storage.s3 import S3Storage
from tests.integration.files.conftest import chunks


async def _read(storage, key: str) -> bytes:
    return b"".join([chunk async for chunk in storage.open(key)])


async def test_local_round_trip_reports_size_and_sha256(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "files")
    key = new_key(7)
    blob = await storage.put(key, chunks(b"hello ", b"world"))
    assert blob.size == 11
    assert blob.sha256 == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
    assert await storage.exists(key)
    assert await _read(storage, key) == b"hello world"
    assert (tmp_path / "files" / key).is_file()
    await storage.delete(key)
    await storage.delete(key)  # idempotent
    assert not await storage.exists(key)


@pytest.mark.parametrize(
    "key", ["../outside", "7/../../outside", "/etc/passwd", "7/./x", "", "7//x", "a\\b", "7/x\x00"]
)
async def test_local_storage_refuses_keys_outside_its_root(tmp_path: Path, key: str) -> None:
    storage = LocalStorage(tmp_path / "files")
    with pytest.raises(StorageError):
        await storage.put(key, chunks(b"x"))
    with pytest.raises(StorageError):
        await storage.exists(key)
    assert not (tmp_path / "outside").exists()


async def test_local_storage_refuses_symlinks_that_leave_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "files", tmp_path / "elsewhere"
    root.mkdir()
    outside.mkdir()
    (outside / "secret").write_bytes(b"top secret")
    (root / "7").symlink_to(outside, target_is_directory=True)
    storage = LocalStorage(root)
    with pytest.raises(StorageError):
        await _read(storage, "7/secret")
    with pytest.raises(StorageError):
        await storage.put("7/new", chunks(b"x"))
    with pytest.raises(StorageError):
        await storage.delete("7/secret")
    assert (outside / "secret").read_bytes() == b"top secret"
    assert not (outside / "new").exists()


async def test_a_failed_upload_leaves_nothing_behind(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    key = new_key(3)

    async def broken():
        yield b"part"
        raise RuntimeError("client went away")

    with pytest.raises(RuntimeError):
        await storage.put(key, broken())
    assert not await storage.exists(key)
    assert list((tmp_path / "3").iterdir()) == []


def test_storage_is_chosen_by_configuration(settings: Settings, tmp_path: Path) -> None:
    default = storage_from_settings(settings.with_overrides(data_dir=tmp_path))
    assert isinstance(default, LocalStorage) and default.root == (tmp_path / "files").resolve()
    folder = storage_from_settings(settings.with_overrides(file_storage=str(tmp_path / "blobs")))
    assert isinstance(folder, LocalStorage) and folder.root == (tmp_path / "blobs").resolve()
    s3 = storage_from_settings(
        settings.with_overrides(
            file_storage="s3://crm-files/prod?endpoint=http://127.0.0.1:9&region=eu-west-1"
        )
    )
    assert isinstance(s3, S3Storage) and s3.bucket == "crm-files" and s3.prefix == "prod"
    assert s3.object_key("5/" + "a" * 32) == "prod/5/" + "a" * 32


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    """A real S3-compatible HTTP server (moto's standalone server) on a free port."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(url + "/moto-api/", timeout=0.5)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("moto server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> S3Storage:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    storage = S3Storage.from_url(f"s3://sampark-test/files?endpoint={moto_server}&region=us-east-1")
    storage.client.create_bucket(Bucket="sampark-test")
    return storage


async def test_s3_round_trip_over_http(s3: S3Storage) -> None:
    key = new_key(42)
    payload = os.urandom(300_000)
    blob = await s3.put(key, chunks(payload[:100_000], payload[100_000:]))
    assert blob.size == 300_000
    assert await s3.exists(key)
    listed = s3.client.list_objects_v2(Bucket="sampark-test")["Contents"]
    assert [item["Key"] for item in listed] == [f"files/{key}"]
    assert await _read(s3, key) == payload
    await s3.delete(key)
    assert not await s3.exists(key)


async def test_s3_refuses_keys_that_are_not_ours(s3: S3Storage) -> None:
    for key in ("../x", "42/../../x", "/abs", "42/notahexuuid"):
        with pytest.raises(StorageError):
            await s3.put(key, chunks(b"x"))
