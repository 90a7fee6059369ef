"""Embedded PostgreSQL, Redis and the mail sink keep their data across a stop and a start on one directory."""

from __future__ import annotations

import secrets
import shutil
import smtplib
import tempfile
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlparse

import asyncpg
import pytest
import redis

from sampark.platform.config.settings import Settings
from sampark.platform.embedded.mailsink import read_messages
from sampark.platform.embedded.services import EmbeddedServices


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # A short path under /tmp: Redis and PostgreSQL put Unix sockets in it (108-byte limit).
    path = Path(tempfile.mkdtemp(prefix="sk-emb-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _send_mail(smtp_url: str, subject: str) -> None:
    parsed = urlparse(smtp_url)
    message = EmailMessage()
    message["From"] = "ops@sampark.localhost"
    message["To"] = "someone@example.com"
    message["Subject"] = subject
    message.set_content("Kept across restarts.")
    with smtplib.SMTP(parsed.hostname or "127.0.0.1", parsed.port or 25, timeout=10) as client:
        client.send_message(message)


async def test_data_survives_a_restart(data_dir: Path) -> None:
    # Built from an empty environment: the session's own services must not be reused here.
    base = Settings.from_env(environ={}, data_dir=data_dir)
    marker = secrets.token_hex(6)

    services = EmbeddedServices(base)
    running = services.start()
    try:
        assert running.database_url and running.redis_url and running.smtp_url
        connection = await asyncpg.connect(running.database_url)
        try:
            await connection.execute("CREATE TABLE kept (value TEXT NOT NULL)")
            await connection.execute("INSERT INTO kept (value) VALUES ($1)", marker)
            first_server = await connection.fetchval("SELECT pg_postmaster_start_time()")
        finally:
            await connection.close()
        client = redis.Redis.from_url(running.redis_url)
        client.set("kept", marker)
        client.close()
        _send_mail(running.smtp_url, f"kept {marker}")
    finally:
        services.stop()

    services = EmbeddedServices(base)
    again = services.start()
    try:
        assert again.database_url and again.redis_url
        connection = await asyncpg.connect(again.database_url)
        try:
            assert await connection.fetchval("SELECT value FROM kept") == marker
            # A different postmaster answered: the data came back from disk, not from a server left running.
            assert await connection.fetchval("SELECT pg_postmaster_start_time()") != first_server
        finally:
            await connection.close()
        client = redis.Redis.from_url(again.redis_url)
        assert client.get("kept") == marker.encode()
        client.close()
        messages, total = read_messages(data_dir / "mail")
        assert total == 1
        assert messages[0].subject == f"kept {marker}"
        assert messages[0].recipients == "someone@example.com"
    finally:
        services.stop()
