"""argon2id hashing and the rules for new passwords."""

import pytest
from argon2 import PasswordHasher, Type

from sampark.platform.identity.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    common_passwords,
    hash_password,
    hash_password_async,
    needs_rehash,
    password_problems,
    verify_password,
    verify_password_async,
)


def test_hash_is_argon2id_with_our_parameters_and_a_salt() -> None:
    first, second = hash_password("violet-kettle-harbour"), hash_password("violet-kettle-harbour")
    assert first.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert first != second  # a fresh salt each time


def test_verify_accepts_the_password_and_refuses_others() -> None:
    hashed = hash_password("violet-kettle-harbour")
    assert verify_password("violet-kettle-harbour", hashed)
    assert not verify_password("violet-kettle-harbouR", hashed)
    assert not verify_password("", hashed)


@pytest.mark.parametrize(
    "bad_hash", ["", "not a hash", "$argon2id$v=19$m=65536,t=3,p=4$garbage", "$2b$12$abc"]
)
def test_invalid_hashes_verify_as_false(bad_hash: str) -> None:
    assert verify_password("violet-kettle-harbour", bad_hash) is False


def test_needs_rehash_for_weaker_parameters_and_foreign_hashes() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID).hash("x" * 12)
    assert needs_rehash(weak)
    assert needs_rehash("not a hash")
    assert not needs_rehash(hash_password("violet-kettle-harbour"))


async def test_async_variants_agree() -> None:
    hashed = await hash_password_async("violet-kettle-harbour")
    assert await verify_password_async("violet-kettle-harbour", hashed)
    assert not await verify_password_async("wrong-password-here", hashed)


def test_a_good_password_has_no_problems() -> None:
    assert password_problems("violet-kettle-harbour", "asha@example.com", "Asha Sharma") == []
    assert password_problems("Tiger lily on the 3rd floor", "asha@example.com", "Asha Sharma") == []


def test_length_limits() -> None:
    assert len(password_problems("x7#Qp2!", "", "")) == 1
    assert str(MIN_LENGTH) in password_problems("x7#Qp2!", "", "")[0]
    assert str(MAX_LENGTH) in password_problems("ab" * MAX_LENGTH, "", "")[0]
    assert password_problems("v" + "iolet-kettle-harbour" * 12, "", "") == []  # 241 characters


@pytest.mark.parametrize(
    "password",
    [
        "qwertyuiop",
        "1234567890",
        "Password2024!",
        "iloveyou123456",
        "!!Sunshine2020",
        "aaaaaaaaaaaa",
        "1212121212",
    ],
)
def test_common_passwords_are_refused(password: str) -> None:
    assert password_problems(password, "asha@example.com", "Asha Sharma") != []


@pytest.mark.parametrize(
    "password",
    ["ashasharma2024", "Asha.Sharma@example.com", "asha.sharma.1987", "ashasharm4!!", "sharma-asha-01"],
)
def test_passwords_made_of_the_name_or_email_are_refused(password: str) -> None:
    problems = password_problems(password, "asha.sharma@example.com", "Asha Sharma")
    assert problems and "name" in problems[0]


def test_the_name_inside_a_long_passphrase_is_fine() -> None:
    assert password_problems("asha climbs the orange mountain", "asha@example.com", "Asha Sharma") == []


def test_the_common_list_is_substantial_and_lower_case() -> None:
    listed = common_passwords()
    assert len(listed) > 300
    assert "password" in listed and all(entry == entry.lower() for entry in listed)
