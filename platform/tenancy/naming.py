"""Names derived from the registry, never from user input."""

from __future__ import annotations

import re
import secrets

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,61}[a-z0-9]$")
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "app",
        "assets",
        "docs",
        "healthz",
        "login",
        "logout",
        "metrics",
        "ops",
        "readyz",
        "signup",
        "static",
        "support",
        "www",
        "sampark",
    }
)


def slug_problem(slug: str) -> str | None:
    """Return why ``slug`` cannot name a tenant, or None when it can (the caller translates the message)."""
    if not SLUG_PATTERN.match(slug):
        return "invalid"
    if "--" in slug:
        return "invalid"
    if slug in RESERVED_SLUGS:
        return "reserved"
    return None


def schema_name_for(tenant_id: int) -> str:
    return f"tenant_{tenant_id}"


def role_name_for(tenant_id: int) -> str:
    # Roles are cluster-wide, databases are not: a random part keeps two databases on one server apart.
    return f"sampark_t{tenant_id}_{secrets.token_hex(4)}"


def quote_ident(name: str) -> str:
    """Quote a registry-made identifier for DDL (values are always bound parameters instead)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a registry identifier: {name!r}")
    return f'"{name}"'
