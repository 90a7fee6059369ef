"""JSONB values as asyncpg hands them over."""

from __future__ import annotations

import json
from typing import Any


def jsonb_value(value: Any) -> Any:
    """The decoded value: asyncpg returns jsonb as text unless a codec is registered on the pool; accept both."""
    return json.loads(value) if isinstance(value, str | bytes) else value
