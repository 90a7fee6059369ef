"""``sampark up --demo`` as a real process: serves /healthz, prints the demo login, stops cleanly on Ctrl-C,
and a restart on the same data directory shows the same password without seeding twice.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("sampark.web.app") is None, reason="sampark.web.app does not exist yet"
)
START_TIMEOUT_S = 120.0


@pytest.fixture
def data_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="sk-up-", dir="/tmp"))  # short: Unix sockets live in it
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class UpRun:
    """One ``sampark up`` process with its output in files (pipes could fill and block it)."""

    def __init__(self, data_dir: Path, port: int, name: str) -> None:
        self.port = port
        self.stdout, self.stderr = (
            data_dir.parent / f"{data_dir.name}-{name}.out",
            data_dir.parent / f"{data_dir.name}-{name}.err",
        )
        environment = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")}  # all embedded
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sampark.platform.cli",
                "up",
                "--demo",
                "--data-dir",
                str(data_dir),
                "--port",
                str(port),
            ],
            env=environment,
            stdout=self.stdout.open("wb"),
            stderr=self.stderr.open("wb"),
            start_new_session=True,
        )

    def output(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"sampark up exited early:\n{self.output()}"
            try:
                healthy = httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200
                if healthy and "Press Ctrl-C to stop." in self.stdout.read_text():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise AssertionError(f"sampark up did not become healthy:\n{self.output()}")

    def child_pids(self) -> list[int]:
        return [int(pid) for pid in re.findall(r"started \w+ \(pid (\d+)\)", self.stderr.read_text())]

    def ctrl_c(self) -> int:
        os.killpg(self.process.pid, signal.SIGINT)  # as a terminal does, to the whole foreground group
        return self.process.wait(timeout=90)

    def cleanup(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for path in (self.stdout, self.stderr):
            path.unlink(missing_ok=True)


def test_up_serves_seeds_and_stops_cleanly(data_dir: Path) -> None:
    port = _free_port()
    first = UpRun(data_dir, port, "first")
    try:
        first.wait_healthy()
        banner = first.stdout.read_text()
        assert f"http://127.0.0.1:{port}/" in banner
        assert f"http://127.0.0.1:{port}/ops/mail" in banner
        assert f"http://127.0.0.1:{port}/t/demo/" in banner
        assert "admin@demo.sampark.localhost" in banner
        password_file = data_dir / "demo-admin.txt"
        assert (password_file.stat().st_mode & 0o777) == 0o600
        password = re.search(r"password: (\S+)", password_file.read_text()).group(1)  # type: ignore[union-attr]
        assert password in banner
        children = first.child_pids()
        assert len(children) == 3

        assert first.ctrl_c() == 0
        assert "Traceback" not in first.output()
        assert not any(_alive(pid) for pid in children)
    finally:
        first.cleanup()

    second = UpRun(data_dir, port, "second")
    try:
        second.wait_healthy()
        assert password in second.stdout.read_text()
        assert "0 contacts added" in second.stderr.read_text()
        assert second.ctrl_c() == 0
        assert "Traceback" not in second.output()
    finally:
        second.cleanup()
