"""Run the web, worker and scheduler processes side by side and stop them together.

The platform never imports the web, workers or tenants packages: it starts them as child processes by module
name. Their command lines live here, in one place, so they are easy to correct.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from sampark.platform.i18n import gettext as _

# The command lines of the three process kinds (arguments after the Python interpreter).
WEB_APP_FACTORY = "sampark.web.app:create_app"
# Dramatiq imports this module in each worker process; it imports every actor module.
WORKER_ACTORS_MODULE = "sampark.workers.actors"
SCHEDULER_ARGS: tuple[str, ...] = ("-m", "sampark.workers.scheduler")
# Where the demo seeding lives; loaded by name for the same reason.
TENANT_DEMO_MODULE = "sampark.tenants.demo"


def web_command(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        WEB_APP_FACTORY,
        "--factory",
        "--host",
        host,
        "--port",
        str(port),
    ]


def worker_command(processes: int = 1, threads: int = 4, shutdown_timeout_ms: int = 30_000) -> list[str]:
    """Dramatiq's worker for every Sampark actor.

    Async actors of one process share one event loop, so threads mostly set how many messages are in flight.
    On SIGTERM or SIGINT Dramatiq stops taking messages, waits up to ``shutdown_timeout_ms`` for running
    ones (its own default is 10 minutes), requeues what it prefetched and exits 0.
    """
    return [
        sys.executable, "-m", "dramatiq", WORKER_ACTORS_MODULE,
        "--processes", str(processes),
        "--threads", str(threads),
        "--worker-shutdown-timeout", str(shutdown_timeout_ms),
    ]  # fmt: skip


def scheduler_command() -> list[str]:
    return [sys.executable, *SCHEDULER_ARGS]


@dataclass(frozen=True)
class ChildSpec:
    """A child process to run: a short name for messages and its command line."""

    name: str
    argv: Sequence[str]


class StopSignals:
    """Turn SIGINT and SIGTERM into a flag while installed, and count them so a second one can hurry the stop.

    While ``raising`` is true (start-up, before there are children to stop) a signal raises KeyboardInterrupt
    instead, so whatever is starting unwinds through its clean-up code.
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        self.count = 0
        self.raising = False
        self._previous: dict[int, object] = {}

    def _handle(self, _signum: int, _frame: object) -> None:
        self.count += 1
        self.event.set()
        if self.raising:
            self.raising = False  # once: clean-up code must not be interrupted again
            raise KeyboardInterrupt

    def __enter__(self) -> StopSignals:
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *_: object) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)  # type: ignore[arg-type]


@dataclass
class Supervisor:
    """Start children in their own process groups, watch them, and stop them all when one dies or on a signal.

    Each child gets its own session, so a Ctrl-C in the terminal reaches only the supervisor, which then stops
    every child once, in order.
    """

    specs: Sequence[ChildSpec]
    env: Mapping[str, str]
    stop_timeout: float = 15.0
    out: TextIO = field(default_factory=lambda: sys.stderr)
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _stopped: bool = False

    def start(self) -> None:
        for spec in self.specs:
            process = subprocess.Popen(  # fixed command lines: see the constants above
                list(spec.argv), env=dict(self.env), stdin=subprocess.DEVNULL, start_new_session=True
            )
            self.children[spec.name] = process
            self._say(_("started %(name)s (pid %(pid)s)", name=spec.name, pid=process.pid))

    def dead_child(self) -> tuple[str, int] | None:
        """Return the name and exit code of a child that has exited, if any."""
        for name, process in self.children.items():
            code = process.poll()
            if code is not None:
                return name, code
        return None

    def watch(self, signals: StopSignals, poll_interval: float = 0.2) -> int:
        """Block until a stop signal (exit code 0) or a child's death (exit code 1); then stop every child."""
        code = 0
        while not signals.event.wait(poll_interval):
            dead = self.dead_child()
            if dead is not None:
                self._say(
                    _("%(name)s exited with code %(code)s; stopping everything", name=dead[0], code=dead[1])
                )
                code = 1
                break
        else:
            self._say(_("stopping"))
        self.stop(signals)
        return code

    def stop(self, signals: StopSignals | None = None) -> None:
        """Terminate every child, wait up to ``stop_timeout``, then kill the stragglers' process groups."""
        if self._stopped:
            return
        self._stopped = True
        for process in self.children.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()
        deadline = time.monotonic() + self.stop_timeout
        already = signals.count if signals is not None else 0
        for name, process in self.children.items():
            while process.poll() is None and time.monotonic() < deadline:
                if signals is not None and signals.count > already:
                    deadline = 0.0  # a further Ctrl-C while stopping means "now": go straight to killing
                    break
                time.sleep(0.05)
            if process.poll() is None:
                self._say(_("%(name)s did not stop in time; killing it", name=name))
        for process in self.children.values():
            # Kill the whole group: dramatiq and uvicorn may have forked workers of their own.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def wait_for_port(self, host: str, port: int, signals: StopSignals, timeout: float = 60.0) -> bool:
        """Wait until ``host:port`` accepts connections; False if a child died, a signal came, or time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if signals.event.is_set() or self.dead_child() is not None:
                return False
            if port_open(host, port):
                return True
            signals.event.wait(0.1)
        return False

    def _say(self, message: str) -> None:
        print(f"sampark: {message}", file=self.out, flush=True)


def port_open(host: str, port: int) -> bool:
    """True when something accepts TCP connections on ``host:port``."""
    connect_host = "127.0.0.1" if host in {"0.0.0.0", ""} else "::1" if host == "::" else host  # noqa: S104
    try:
        with socket.create_connection((connect_host, port), timeout=0.5):
            return True
    except OSError:
        return False


def run_supervised(
    specs: Sequence[ChildSpec],
    env: Mapping[str, str],
    signals: StopSignals,
    ready: Callable[[Supervisor], object] | None = None,
    on_ready: Callable[[], None] | None = None,
    stop_timeout: float = 15.0,
) -> int:
    """Start ``specs``, wait with ``ready``, call ``on_ready`` unless stopping, and supervise until the end."""
    supervisor = Supervisor(specs, env, stop_timeout=stop_timeout)
    try:
        supervisor.start()
        if ready is not None:
            ready(supervisor)
        if on_ready is not None and not signals.event.is_set() and supervisor.dead_child() is None:
            on_ready()
        return supervisor.watch(signals)
    finally:
        supervisor.stop(signals)  # idempotent: a no-op once watch() stopped everything
