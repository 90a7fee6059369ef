"""The supervisor behind ``sampark up``: one Ctrl-C stops every child once; a dying child stops the rest."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sampark.platform.embedded.supervisor import ChildSpec, StopSignals, Supervisor

HARNESS = """
import os, sys
from sampark.platform.embedded.supervisor import ChildSpec, StopSignals, run_supervised

marks, stop_timeout = sys.argv[1], float(sys.argv[2])
polite = f"import pathlib, time; pathlib.Path({marks!r}, 'polite').touch(); time.sleep(600)"
stubborn = ("import pathlib, signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
            f" pathlib.Path({marks!r}, 'stubborn').touch(); time.sleep(600)")
specs = [ChildSpec("polite", [sys.executable, "-c", polite]), ChildSpec("stubborn", [sys.executable, "-c", stubborn])]
with StopSignals() as signals:
    code = run_supervised(specs, dict(os.environ), signals, stop_timeout=stop_timeout)
print("exit", code, flush=True)
sys.exit(code)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _start_harness(tmp_path: Path, stop_timeout: float) -> tuple[subprocess.Popen[bytes], Path]:
    marks = tmp_path / "marks"
    marks.mkdir()
    stderr = tmp_path / "stderr.txt"
    process = subprocess.Popen(
        [sys.executable, "-c", HARNESS, str(marks), str(stop_timeout)],
        stdout=subprocess.DEVNULL,
        stderr=stderr.open("wb"),
        start_new_session=True,  # its own process group, like a shell's foreground job
    )
    assert _wait_for(lambda: (marks / "polite").exists() and (marks / "stubborn").exists()), (
        stderr.read_text()
    )
    return process, stderr


def _child_pids(stderr: Path) -> dict[str, int]:
    return {name: int(pid) for name, pid in re.findall(r"started (\w+) \(pid (\d+)\)", stderr.read_text())}


@pytest.mark.parametrize("how", ["ctrl-c to the terminal's process group", "SIGTERM to the supervisor"])
def test_one_signal_stops_every_child_cleanly(tmp_path: Path, how: str) -> None:
    process, stderr = _start_harness(tmp_path, stop_timeout=2.0)
    pids = _child_pids(stderr)
    assert set(pids) == {"polite", "stubborn"}
    if how.startswith("ctrl-c"):
        os.killpg(process.pid, signal.SIGINT)  # what a terminal does: the whole foreground group, once
    else:
        process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    text = stderr.read_text()
    assert "Traceback" not in text
    assert text.count("sampark: stopping") == 1
    assert "stubborn did not stop in time; killing it" in text
    assert "polite did not stop" not in text
    assert not any(_alive(pid) for pid in pids.values())


def test_a_second_ctrl_c_kills_without_waiting(tmp_path: Path) -> None:
    # The stubborn child would hold the stop for 10 minutes; the second signal cuts that short.
    process, stderr = _start_harness(tmp_path, stop_timeout=600.0)
    pids = _child_pids(stderr)
    os.killpg(process.pid, signal.SIGINT)
    assert _wait_for(lambda: "sampark: stopping" in stderr.read_text())
    assert _wait_for(lambda: not _alive(pids["polite"]) or process.poll() is not None)
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in stderr.read_text()
    assert not _alive(pids["stubborn"])


def test_a_dying_child_stops_the_others_and_fails() -> None:
    out = io.StringIO()
    sleeper = ChildSpec("sleeper", [sys.executable, "-c", "import time; time.sleep(600)"])
    crasher = ChildSpec("crasher", [sys.executable, "-c", "import sys; sys.exit(3)"])
    supervisor = Supervisor([sleeper, crasher], dict(os.environ), stop_timeout=10.0, out=out)
    with StopSignals() as signals:
        supervisor.start()
        code = supervisor.watch(signals)
    assert code == 1
    assert "crasher exited with code 3" in out.getvalue()
    assert supervisor.children["sleeper"].returncode is not None
    assert not _alive(supervisor.children["sleeper"].pid)
