"""The ``sampark`` entry point: parse the command line, run one command, turn known errors into exit codes."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Sequence

from sampark.platform.cli import migrate, operators, processes, tenants, up
from sampark.platform.cli.common import EXIT_USAGE, CommandError
from sampark.platform.config.settings import LOG_LEVELS, SettingsError
from sampark.platform.i18n import gettext as _
from sampark.platform.logging import configure_logging

COMMAND_GROUPS = (up, migrate, tenants, processes, operators)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sampark",
        description=_(
            "Sampark: an open-source multi-tenant CRM. Configuration comes from"
            " SAMPARK_* environment variables; flags override them."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``sampark`` with ``argv`` (the process arguments by default) and return the exit code."""
    args = build_parser().parse_args(argv)
    _configure_logging()
    try:
        return int(args.handler(args))
    except SettingsError as error:
        print(_("sampark: configuration error: %(error)s", error=error), file=sys.stderr)
        return EXIT_USAGE
    except CommandError as error:
        print(_("sampark: %(error)s", error=error), file=sys.stderr)
        return error.code


def _configure_logging() -> None:
    """Human-readable logs on stderr for commands run from a shell.

    The level comes from the environment directly: settings may be invalid, and that error is reported by the
    command with its own exit code.
    """
    level = os.environ.get("SAMPARK_LOG_LEVEL", "INFO").upper()
    configure_logging(level if level in LOG_LEVELS else "INFO", json=False)
    # pgserver and aiosmtpd narrate every call at INFO; an operator needs only their warnings.
    if level != "DEBUG":
        for noisy in ("pgserver", "mail.log"):  # aiosmtpd logs every connection as "mail.log"
            logging.getLogger(noisy).setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


if __name__ == "__main__":
    sys.exit(main())
