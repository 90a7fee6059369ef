"""``sampark operators create|list|disable|enable|set-role|reset-2fa`` as a real process against the test database."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.operators.accounts import (
    authenticate_operator,
    find_operator,
    recovery_codes_left,
    renew_recovery_codes,
)


def sampark(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sampark.platform.cli", *args],
        env=dict(os.environ),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_operator_lifecycle_through_the_cli(database) -> None:
    email = f"cli-ops-{secrets.token_hex(4)}@example.com"
    password = "a long operator passphrase 9"
    created = sampark(
        "operators",
        "create",
        "--email",
        email,
        "--name",
        "Chandra",
        "--password-stdin",
        stdin=password + "\n",
    )
    assert created.returncode == 0, created.stderr
    assert password not in created.stdout + created.stderr
    operator = await find_operator(email)
    assert operator is not None and operator.is_active and not operator.has_totp

    weak = sampark(
        "operators", "create", "--email", f"x{email}", "--name", "X", "--password-stdin", stdin="short\n"
    )
    assert weak.returncode == 2 and "password" in weak.stderr
    taken = sampark(
        "operators", "create", "--email", email, "--name", "Again", "--password-stdin", stdin=password + "\n"
    )
    assert taken.returncode == 2

    listing = sampark("operators", "list")
    assert listing.returncode == 0 and any(
        email in line and "active" in line for line in listing.stdout.splitlines()
    )

    assert sampark("operators", "disable", email).returncode == 0
    assert await authenticate_operator(email, password) is None
    assert sampark("operators", "enable", email).returncode == 0
    assert await authenticate_operator(email, password) is not None
    assert operator.role == "viewer"  # the default: read-only until someone grants more
    assert sampark("operators", "set-role", email, "support").returncode == 0
    assert (await find_operator(email)).role == "support"  # type: ignore[union-attr]
    bogus = sampark("operators", "set-role", email, "owner")
    assert bogus.returncode == 2 and (await find_operator(email)).role == "support"  # type: ignore[union-attr]
    assert sampark("operators", "set-role", "nobody@example.com", "admin").returncode == 2
    assert any(
        email in line and "support" in line for line in sampark("operators", "list").stdout.splitlines()
    )

    await renew_recovery_codes(operator.id)
    assert sampark("operators", "reset-2fa", email).returncode == 0
    assert await recovery_codes_left(operator.id) == 0  # the last resort clears the codes too
    assert sampark("operators", "disable", "nobody@example.com").returncode == 2

    rows = [
        row
        for row in await OperatorAudit.select(
            OperatorAudit.action, OperatorAudit.actor, OperatorAudit.details
        )
        .where(OperatorAudit.action.like("operator.%"))
        .order_by(OperatorAudit.id)
        .output(load_json=True)
        if row["details"].get("email") == email
    ]
    actions = [row["action"] for row in rows]
    assert actions == [
        "operator.create",
        "operator.disable",
        "operator.enable",
        "operator.set_role",
        "operator.reset_2fa",
    ]
    assert all(row["actor"].startswith("cli:") for row in rows)
    assert rows[0]["details"]["role"] == "viewer"
    assert rows[3]["details"]["from"] == "viewer" and rows[3]["details"]["role"] == "support"


async def test_create_with_a_role(database) -> None:
    email = f"cli-admin-{secrets.token_hex(4)}@example.com"
    created = sampark(
        "operators",
        "create",
        "--email",
        email,
        "--name",
        "Asha",
        "--role",
        "admin",
        "--password-stdin",
        stdin="a long operator passphrase 9\n",
    )
    assert created.returncode == 0, created.stderr
    assert (await find_operator(email)).role == "admin"  # type: ignore[union-attr]
    unknown = sampark(
        "operators", "create", "--email", f"x{email}", "--name", "X", "--role", "root", "--password-stdin"
    )
    assert unknown.returncode == 2 and await find_operator(f"x{email}") is None
