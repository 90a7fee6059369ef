"""The permission check: scopes none/own/team/all, fail closed without a principal."""

import pytest

from sampark.tenants.access.catalog import BUILTIN_ROLES, normalize
from sampark.tenants.access.policy import PermissionDenied, Principal, acting_as, require, visible_owner_ids


def _principal(scope: str) -> Principal:
    return Principal(
        user_id=1, role_key="r", permissions={"contacts": {"view": scope, "edit": scope, "create": scope}},
        team_ids=frozenset({7}), team_user_ids=frozenset({1, 2}),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("scope", "owner", "allowed"),
    [
        ("all", 99, True), ("team", 2, True), ("team", 99, False), ("own", 1, True), ("own", 2, False),
        ("none", 1, False), ("own", None, False),
    ],
)  # fmt: skip
def test_record_scope(scope: str, owner: int | None, allowed: bool) -> None:
    with acting_as(_principal(scope)):
        if allowed:
            require("contacts", "edit", owner)
        else:
            with pytest.raises(PermissionDenied):
                require("contacts", "edit", owner)


def test_visible_owners_follow_the_scope() -> None:
    for scope, expected in (("all", None), ("team", {1, 2}), ("own", {1})):
        with acting_as(_principal(scope)):
            assert visible_owner_ids("contacts") == (None if expected is None else frozenset(expected))
    with acting_as(_principal("none")), pytest.raises(PermissionDenied):
        visible_owner_ids("contacts")


def test_type_level_actions_need_any_scope() -> None:
    with acting_as(_principal("own")):
        require("contacts", "create", record=False)
    with acting_as(_principal("none")), pytest.raises(PermissionDenied):
        require("contacts", "create", record=False)


def test_no_principal_allows_nothing() -> None:
    with pytest.raises(PermissionDenied):
        require("contacts", "view", 1)


def test_builtin_roles_and_normalize() -> None:
    assert set(BUILTIN_ROLES) == {"admin", "sales", "marketing", "support", "read-only"}
    assert BUILTIN_ROLES["sales"][1]["contacts"]["view"] == "own"
    assert "create" not in BUILTIN_ROLES["read-only"][1]["contacts"]
    assert normalize(
        {"contacts": {"view": "all", "fly": "all", "edit": "most"}, "nope": {"view": "all"}}
    ) == {"contacts": {"view": "all"}}
