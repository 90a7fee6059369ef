"""E-mail address normalization and validation."""

import pytest

from sampark.platform.identity.users import normalize_email, validate_email


def test_normalize_trims_and_folds_case() -> None:
    assert normalize_email("  Asha.Sharma@Example.COM \n") == "asha.sharma@example.com"


@pytest.mark.parametrize(
    "email",
    [
        "asha@example.com",
        "Asha.Sharma+crm@Example.co.in",
        "o'brien@example.ie",
        "user@bücher.de",
        "a_b-c@sub.domain.example",
        "  spaced@example.com  ",
    ],
)
def test_valid_addresses(email: str) -> None:
    assert validate_email(email) is None


@pytest.mark.parametrize(
    "email",
    [
        "asha",
        "asha@",
        "@example.com",
        "asha@example",
        "a..b@example.com",
        ".asha@example.com",
        "asha.@example.com",
        "asha@-example.com",
        "asha@example-.com",
        "asha@example.123",
        "as ha@example.com",
        "a@b@example.com",
        "asha@exa_mple.com",
        "asha@.example.com",
        "x" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
    ],
)
def test_invalid_addresses(email: str) -> None:
    problem = validate_email(email)
    assert isinstance(problem, str) and problem


def test_empty_address_asks_for_one() -> None:
    assert validate_email("   ") != validate_email("asha")
