"""Versioned schema steps, shared by the platform schema and every tenant schema."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class SchemaStep:
    """One versioned change. ``statements`` run in order inside the caller's transaction."""

    version: int
    name: str
    statements: tuple[str, ...]

    async def apply(self, connection: asyncpg.Connection) -> None:
        for statement in self.statements:
            await connection.execute(statement)


def discover_steps(package: str) -> tuple[SchemaStep, ...]:
    """Collect ``STEP`` from every ``vNNNN_*`` module in ``package``, ordered and checked for gaps."""
    module = importlib.import_module(package)
    steps = []
    for info in pkgutil.iter_modules(module.__path__):
        if info.name.startswith("v") and info.name[1:5].isdigit():
            steps.append(importlib.import_module(f"{package}.{info.name}").STEP)
    steps.sort(key=lambda step: step.version)
    check_sequence(steps)
    return tuple(steps)


def check_sequence(steps: Sequence[SchemaStep]) -> None:
    """Raise ValueError unless versions run 1, 2, 3, ... without gaps or repeats."""
    for expected, step in enumerate(steps, start=1):
        if step.version != expected:
            raise ValueError(f"schema step {step.name!r} has version {step.version}, expected {expected}")


def pending(steps: Sequence[SchemaStep], current_version: int) -> list[SchemaStep]:
    return [step for step in steps if step.version > current_version]
