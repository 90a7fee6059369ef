"""Turn what a person typed into a safe full-text query.

The query is never built from raw input: the text is cut into words made only of letters, marks and digits
(so no tsquery operator, quote or backslash can get through), each word becomes a quoted prefix term, and the
terms are joined with AND. The result is passed to ``to_tsquery('simple', $1)`` as a bound parameter.
"""

from __future__ import annotations

import unicodedata

import phonenumbers

MAX_WORDS = 8
MAX_WORD_LENGTH = 64


def words(text: str) -> list[str]:
    """The words of ``text`` in order, lower-cased, without duplicates; at most ``MAX_WORDS``.

    A word is a run of letters, combining marks and digits (marks matter: Devanagari vowel signs are marks).
    """
    found: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", text) + " ":
        if unicodedata.category(char)[0] in "LMN":
            current.append(char)
            continue
        if current:
            word = "".join(current).lower()[:MAX_WORD_LENGTH]
            if word not in found:
                found.append(word)
            current = []
        if len(found) >= MAX_WORDS:
            break
    return found


def prefix_tsquery(text: str, weights: str = "") -> str | None:
    """A tsquery matching documents that contain a word starting with each word of ``text``.

    Args:
        text: what the user typed.
        weights: restrict matches to these tsvector weights ("A" = names, "B" = e-mails/domains).

    Returns:
        e.g. ``'ann':*A & 'smi':*A``, or None when ``text`` holds no word (callers then match nothing).
    """
    terms = [f"'{word}':*{weights}" for word in words(text)]
    return " & ".join(terms) or None


# What a typed phone number may contain besides digits; anything else means the text is not a phone number.
_PHONE_PUNCTUATION = frozenset(" +-()./")
MIN_PHONE_DIGITS = 4


def phone_tsquery(text: str, region: str | None) -> str | None:
    """A tsquery matching contacts whose phone number starts with what was typed, or None if it is no number.

    The text is read as a phone number of ``region`` (the tenant's default country) and turned into E.164
    digits, the form numbers are stored in, so "030 1234", "+49 30 1234" and "0049301234" all match
    +49 30 1234567 in Germany. A partial number still parses; text that does not parse is matched as plain
    digits. Only digits reach the query, so it is safe to bind.
    """
    stripped = text.strip()
    if any(not char.isdecimal() and char not in _PHONE_PUNCTUATION for char in stripped):
        return None
    # Any script's decimal digits (Devanagari, Arabic-Indic...) count, as ASCII.
    digits = "".join(str(unicodedata.decimal(char)) for char in stripped if char.isdecimal())
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    try:
        number = phonenumbers.parse(stripped, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None:
        digits = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")
    return f"'{digits}':*C"
