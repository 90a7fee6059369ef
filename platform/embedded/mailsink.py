"""A local SMTP sink (aiosmtpd) that keeps every message as an ``.eml`` file for operators to read."""

from __future__ import annotations

import email
import email.policy
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        temporary = self.directory / f".{name}.tmp"
        temporary.write_bytes(envelope.original_content or envelope.content)
        temporary.rename(self.directory / name)  # atomic, so readers never see half a message
        return "250 Message accepted for delivery"


def _free_port(host: str) -> int:
    # aiosmtpd's Controller connects to its own port to check start-up, so it cannot be given port 0.
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@dataclass
class MailSink:
    """An SMTP server on loopback that writes each message it receives to ``directory``."""

    directory: Path
    host: str = "127.0.0.1"
    port: int = 0
    _controller: Controller | None = None

    def start(self) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.port == 0:
            self.port = _free_port(self.host)
        self._controller = Controller(_Handler(self.directory), hostname=self.host, port=self.port)
        self._controller.start()
        return f"smtp://{self.host}:{self.port}"

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@dataclass(frozen=True)
class StoredMessage:
    """One message as the sink stored it."""

    id: str
    received_at: datetime
    sender: str
    recipients: str
    subject: str
    body: str


def read_messages(directory: Path, limit: int = 50, offset: int = 0) -> tuple[list[StoredMessage], int]:
    """Return the newest messages first, and how many there are in all."""
    if not directory.exists():
        return [], 0
    files = sorted(directory.glob("*.eml"), reverse=True)
    return [_parse(path) for path in files[offset : offset + limit]], len(files)


def read_message(directory: Path, message_id: str) -> StoredMessage | None:
    """Return one stored message by id, refusing any id that is not a plain file name."""
    if "/" in message_id or message_id.startswith(".") or not message_id.endswith(".eml"):
        return None
    path = directory / message_id
    return _parse(path) if path.is_file() else None


def _parse(path: Path) -> StoredMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    part = message.get_body(preferencelist=("plain", "html"))
    body = part.get_content() if part is not None else ""
    received = datetime.fromtimestamp(int(path.name.split("-", 1)[0]) / 1e9, tz=UTC)
    return StoredMessage(
        id=path.name,
        received_at=received,
        sender=str(message.get("From", "")),
        recipients=str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        body=body,
    )
