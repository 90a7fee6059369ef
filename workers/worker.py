"""How ``sampark worker`` runs Dramatiq: the command line, built in one place."""

from __future__ import annotations

import sys
from collections.abc import Sequence

#: The module Dramatiq imports in each worker process (it imports every actor module).
ACTORS_MODULE = "sampark.workers.actors"


def worker_command(
    processes: int = 1, threads: int = 4, queues: Sequence[str] = (), shutdown_timeout_ms: int = 30_000
) -> list[str]:
    """The argv that runs Dramatiq workers for Sampark in the current interpreter.

    Run it with the ``SAMPARK_*`` environment of the parent (``EmbeddedServices.export`` for embedded
    services). Dramatiq forks ``processes`` worker processes with ``threads`` worker threads each; async
    actors of one process share one event loop. On SIGTERM or SIGINT it stops taking messages, waits up to
    ``shutdown_timeout_ms`` for running ones, requeues what it prefetched and exits 0.

    Args:
        processes: worker processes (one per CPU core is a good start).
        threads: worker threads per process; async actors multiplex on the event loop, so more threads
            mostly mean more messages in flight and more database connections.
        queues: consume only these queues; all declared queues when empty.
        shutdown_timeout_ms: how long running messages may take to finish on shutdown.
    """
    command = [
        sys.executable, "-m", "dramatiq", ACTORS_MODULE,
        "--processes", str(processes),
        "--threads", str(threads),
        "--worker-shutdown-timeout", str(shutdown_timeout_ms),
    ]  # fmt: skip
    if queues:
        command += ["--queues", *queues]
    return command
