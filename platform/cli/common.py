"""What the commands share: settings with flag overrides, a database session, the operator's name, errors."""

from __future__ import annotations

import argparse
import getpass
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sampark.platform.config.settings import Settings
from sampark.platform.database import close_engine, open_engine
from sampark.platform.embedded.services import EmbeddedPostgres
from sampark.platform.i18n import gettext as _

# Exit codes shared by every command.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A command cannot do what was asked; ``main`` prints the message to stderr and exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def positive_int(value: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            _("must be a whole number of at least 1, not %(value)r", value=value)
        )
    return number


def port_number(value: str) -> int:
    """argparse type: a TCP port."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(
            _("must be a port number between 1 and 65535, not %(value)r", value=value)
        )
    return number


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment, with command-line flags (those not None) taking precedence.

    Raises:
        SettingsError: a ``SAMPARK_*`` variable does not parse.
    """
    given = {name: value for name, value in overrides.items() if value is not None}
    if "data_dir" in given:
        given["data_dir"] = Path(given["data_dir"]).expanduser().resolve()
    return Settings.from_env(**given)


def operator_actor() -> str:
    """``cli:<os user>``, the actor recorded in the operator audit for commands run from a shell."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no passwd entry, as in some containers
        user = f"uid{os.getuid()}"
    return f"cli:{user}"


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[Settings]:
    """Open the engine for one command.

    With no database URL configured this uses the embedded PostgreSQL in the data directory; pgserver shares a
    server that ``sampark up`` already runs there and leaves it running when this command ends.
    """
    postgres: EmbeddedPostgres | None = None
    if settings.database_url is None:
        postgres = EmbeddedPostgres(settings.data_dir / "postgres")
        settings = settings.with_overrides(database_url=postgres.start())
    try:
        await open_engine(settings)
        try:
            yield settings
        finally:
            await close_engine()
    finally:
        if postgres is not None:
            postgres.stop()
