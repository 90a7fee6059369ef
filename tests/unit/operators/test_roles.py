"""Operator roles are cumulative, and an unknown role may do nothing."""

from __future__ import annotations

import pytest

from sampark.platform.identity.recovery_codes import RecoveryCodeBook, looks_like_totp, new_code
from sampark.platform.operators import roles


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("viewer", {"view"}),
        ("support", {"view", "elevate"}),
        ("admin", {"view", "elevate", "change_status", "manage_operators"}),
        ("owner", set()),
    ],
)
def test_what_each_role_allows(role: str, allowed: set[str]) -> None:
    capabilities = {roles.VIEW, roles.ELEVATE, roles.CHANGE_STATUS, roles.MANAGE_OPERATORS}
    assert {c for c in capabilities if roles.allows(role, c)} == allowed
    for refused in capabilities - allowed:
        with pytest.raises(roles.OperatorForbidden):
            roles.require(role, refused)


def test_recovery_digests_differ_by_holder_kind_and_ignore_formatting() -> None:
    users = RecoveryCodeBook(object, "user", salt="sampark-recovery")  # type: ignore[arg-type]
    operators = RecoveryCodeBook(object, "operator", salt="sampark-operator-recovery")  # type: ignore[arg-type]
    code = new_code()
    assert users.digest(7, code) != operators.digest(7, code)
    assert operators.digest(7, code) == operators.digest(7, code.upper().replace("-", " "))
    assert operators.digest(7, code) != operators.digest(8, code)
    assert not looks_like_totp(code) and looks_like_totp("123 456")
