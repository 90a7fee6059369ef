"""Errors every CRM record service raises; the web layer maps these bases to HTTP once (``web/errors.py``).

Each object keeps its own subclasses (``ContactNotFound``, ``CompanyError``...) so callers can still catch one
object's errors; handlers and generic code catch these bases.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FieldErrors", "RecordNotFound", "VersionConflict"]


class RecordNotFound(LookupError):
    """No such record, or the principal may not see it (callers answer 404)."""


class VersionConflict(Exception):
    """Someone else changed the record since the caller read it; ``current`` is what it is now."""

    def __init__(self, current: Any) -> None:
        super().__init__(f"record changed (now version {current.version})")
        self.current = current


class FieldErrors(ValueError):
    """Invalid record input; ``errors`` maps field names (``emails.1`` for the second e-mail) to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
