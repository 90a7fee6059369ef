"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import re
import secrets
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from sampark.platform.i18n import gettext as _

# RFC 9106's second recommended option (also argon2-cffi's default profile): about 120 ms on one core of a
# 2-core CI machine. Stored hashes carry their parameters, so raising these later rehashes at next login.
TIME_COST = 3
MEMORY_COST_KIB = 64 * 1024
PARALLELISM = 4
HASH_LEN = 32
SALT_LEN = 16

MIN_LENGTH = 10
MAX_LENGTH = 256
# Each hash holds MEMORY_COST_KIB while it runs: a small dedicated pool bounds the memory a burst of logins
# takes, and keeps the event loop free (argon2-cffi releases the GIL while hashing).
HASH_WORKERS = 4

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"

_hasher = PasswordHasher(
    time_cost=TIME_COST,
    memory_cost=MEMORY_COST_KIB,
    parallelism=PARALLELISM,
    hash_len=HASH_LEN,
    salt_len=SALT_LEN,
    type=Type.ID,
)
_executor = ThreadPoolExecutor(max_workers=HASH_WORKERS, thread_name_prefix="argon2")


def hash_password(password: str) -> str:
    """Return an argon2id hash of ``password`` in PHC string format (salt and parameters included)."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """Tell whether ``password`` matches ``password_hash``.

    argon2 compares digests in constant time. A missing or malformed hash (a user without a password, a legacy
    value) is False, after hashing against a dummy so the answer takes as long as a real check.
    """
    try:
        return _hasher.verify(password_hash, password)
    except InvalidHashError:
        _burn(password)
        return False
    except VerificationError:  # VerifyMismatchError and corrupt hashes alike
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when ``password_hash`` was made with other parameters (or is not ours) and should be replaced."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


async def hash_password_async(password: str) -> str:
    """``hash_password`` on the hashing pool, so the event loop keeps serving while it runs."""
    return await asyncio.get_running_loop().run_in_executor(_executor, hash_password, password)


async def verify_password_async(password: str, password_hash: str) -> bool:
    """``verify_password`` on the hashing pool."""
    return await asyncio.get_running_loop().run_in_executor(
        _executor, verify_password, password, password_hash
    )


@cache
def dummy_hash() -> str:
    """A hash of a random secret, made with the current parameters, to verify against for unknown users."""
    return _hasher.hash(secrets.token_urlsafe(32))


def _burn(password: str) -> None:
    with contextlib.suppress(VerificationError):
        _hasher.verify(dummy_hash(), password)


@cache
def common_passwords() -> frozenset[str]:
    """The built-in list of very common passwords, lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


_DECORATION = "0123456789!@#$%^&*()_+-=.,?~ "


def _is_common(password: str) -> bool:
    lowered = password.lower()
    if len(set(lowered)) < 4:  # "aaaaaaaaaa", "1212121212": long but trivially guessed
        return True
    listed = common_passwords()
    # "Password2024!" is "password" with the usual decoration; strip it from both ends before looking up.
    return lowered in listed or lowered.strip(_DECORATION) in listed or lowered.rstrip(_DECORATION) in listed


def _fold(text: str) -> str:
    """Lower-case letters and digits only, accents removed: what a guesser would try."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def _personal_tokens(email: str, name: str) -> list[str]:
    local, _sep, domain = email.partition("@")
    tokens = [_fold(email), _fold(local), _fold(domain.split(".")[0]), _fold(name)]
    tokens += [_fold(part) for part in re.split(r"[\W_]+", f"{local} {name}")]
    return sorted({t for t in tokens if len(t) >= 3}, key=len, reverse=True)


def _is_mostly_personal(password: str, email: str, name: str) -> bool:
    folded = _fold(password)
    if not folded:
        return False
    tokens = _personal_tokens(email, name)
    for token in tokens:
        # "ashasharm4" is close to "ashasharma" even though no whole token appears in it.
        if len(token) >= 5 and difflib.SequenceMatcher(None, folded, token).ratio() >= 0.75:
            return True
    rest = folded
    for token in tokens:
        rest = rest.replace(token, "")
    # What remains after removing the e-mail and name must carry most of the password.
    return len(rest) * 2 < len(folded)


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """Return what is wrong with ``password`` as a new password, in the current language; empty when fine.

    Args:
        password: the candidate password, as typed.
        email: the account's e-mail address, which the password must not mostly repeat.
        name: the person's name, likewise.
    """
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Use at least %(count)s characters.", count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Use at most %(count)s characters.", count=MAX_LENGTH))
    if problems:
        return problems
    if _is_mostly_personal(password, email, name):
        problems.append(_("Do not build the password mostly from your name or e-mail address."))
    if _is_common(password):
        problems.append(_("This password is too common and easy to guess. Choose another."))
    return problems
