"""``sampark web``, ``sampark worker`` and ``sampark scheduler``: replace this process with the real one.

They expect configured URLs (or the environment ``sampark up`` gives its children); ``exec`` keeps the process id,
so a container runtime's signals reach the server directly.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from sampark.platform.cli.common import load_settings, port_number
from sampark.platform.embedded.supervisor import scheduler_command, web_command, worker_command
from sampark.platform.i18n import gettext as _


def register(commands: argparse._SubParsersAction) -> None:
    web = commands.add_parser("web", help=_("Run the HTTP server (uvicorn)."))
    web.add_argument("--host", default=None, help=_("Interface to listen on (SAMPARK_HOST)."))
    web.add_argument("--port", type=port_number, default=None, help=_("Port to listen on (SAMPARK_PORT)."))
    web.set_defaults(handler=run_web)
    worker = commands.add_parser("worker", help=_("Run a Dramatiq worker."))
    worker.set_defaults(handler=run_worker)
    scheduler = commands.add_parser(
        "scheduler", help=_("Run the periodic-job scheduler (one per deployment).")
    )
    scheduler.set_defaults(handler=run_scheduler)


def run_web(args: argparse.Namespace) -> int:
    settings = load_settings(host=args.host, port=args.port)
    environment = {**os.environ, "SAMPARK_HOST": settings.host, "SAMPARK_PORT": str(settings.port)}
    return _exec(web_command(settings.host, settings.port), environment)


def run_worker(_args: argparse.Namespace) -> int:
    load_settings()  # fail here, with the variable's name, rather than deep inside the worker
    return _exec(worker_command(), dict(os.environ))


def run_scheduler(_args: argparse.Namespace) -> int:
    load_settings()
    return _exec(scheduler_command(), dict(os.environ))


def _exec(argv: Sequence[str], environment: dict[str, str]) -> int:
    os.execve(argv[0], list(argv), environment)  # fixed command lines from the supervisor module
    return 1  # unreachable: execve only returns by raising
