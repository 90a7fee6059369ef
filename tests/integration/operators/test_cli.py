"""``sampark operators create|list|disable|enable|reset-2fa`` as a real process against the test database."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.operators.accounts import authenticate_operator, find_operator


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
    assert sampark("operators", "reset-2fa", email).returncode == 0
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
    assert actions == ["operator.create", "operator.disable", "operator.enable", "operator.reset_2fa"]
    assert all(row["actor"].startswith("cli:") for row in rows)
