"""infra/ stays true to the code: each container runs a real ``sampark`` command with settings the platform reads,
and the image copies every folder the package is built from."""

from __future__ import annotations

import argparse
import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

from sampark.platform.cli.main import build_parser
from sampark.platform.config.settings import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"


def _compose() -> dict[str, Any]:
    return dict(yaml.safe_load((INFRA / "compose.yaml").read_text()))


def _sampark_services() -> dict[str, dict[str, Any]]:
    return {
        name: spec for name, spec in _compose()["services"].items() if spec.get("image") == "sampark:latest"
    }


def _cli_commands() -> set[str]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(subparsers.choices)


def test_every_process_runs_a_real_sampark_command() -> None:
    services = _sampark_services()
    assert {"migrate", "web", "worker", "scheduler"} <= set(services)
    commands = _cli_commands()
    for name, spec in services.items():
        program, command = spec["command"][:2]
        assert program == "sampark" and command in commands, name


def test_compose_sets_only_settings_the_platform_reads() -> None:
    known = {ENV_PREFIX + field.name.upper() for field in dataclasses.fields(Settings)}
    for name, spec in _sampark_services().items():
        unknown = set(spec["environment"]) - known
        assert not unknown, f"{name}: {sorted(unknown)}"


def test_the_image_copies_every_package_folder() -> None:
    copied = set(re.findall(r"^COPY (\w+) \1$", (INFRA / "Dockerfile").read_text(), re.MULTILINE))
    setup = (ROOT / "setup.py").read_text()
    folders = set(re.findall(r'^    "(\w+)": "sampark\.\w+",$', setup, re.MULTILINE))
    assert folders and folders <= copied, sorted(folders - copied)
