"""Search text becomes a safe prefix tsquery: only letters, marks and digits ever reach PostgreSQL."""

import pytest

from sampark.tenants.search.text import MAX_WORDS, phone_tsquery, prefix_tsquery, words


def test_words_split_on_anything_but_letters_marks_and_digits() -> None:
    assert words("Ann-Marie O'Brien, ann@example.com") == ["ann", "marie", "o", "brien", "example", "com"]


def test_words_keep_combining_marks_inside_words() -> None:
    # The virama and vowel signs of Devanagari are marks (Mn/Mc), not separators.
    assert words("सम्पर्क राम") == ["सम्पर्क", "राम"]


@pytest.mark.parametrize(
    "text", ["a & b", "x:* | !y", "'); DROP TABLE contacts; --", "(a <-> b)", "\\'", "ann' | '1"]
)
def test_operators_and_quotes_never_reach_the_query(text: str) -> None:
    query = prefix_tsquery(text) or ""
    for term in query.split(" & ") if query else []:
        assert term.startswith("'") and term.endswith("':*")
        assert all(char.isalnum() for char in term[1:-3])


def test_prefix_query_with_weights_and_nothing_to_search() -> None:
    assert prefix_tsquery("Ann Sm", "A") == "'ann':*A & 'sm':*A"
    assert prefix_tsquery(" !!! ") is None


def test_words_are_capped_and_deduplicated() -> None:
    assert len(words(" ".join(f"w{i}" for i in range(50)))) == MAX_WORDS
    assert words("ann ANN Ann") == ["ann"]


def test_phone_query_normalizes_what_was_typed_to_e164_digits() -> None:
    assert phone_tsquery("030 1234", "DE") == "'49301234':*C"
    assert phone_tsquery("+49 (30) 1234-567", None) == "'49301234567':*C"
    assert phone_tsquery("0049 30 1234", "DE") == "'49301234':*C"
    # Without a country, a national number is matched as its digits.
    assert phone_tsquery("030 1234", None) == "'0301234':*C"


def test_phone_query_refuses_text_that_is_not_a_number() -> None:
    assert phone_tsquery("123", "DE") is None  # too few digits to mean anything
    assert phone_tsquery("ann 1234", "DE") is None
    assert phone_tsquery("1234':*A | 'x", "DE") is None
    # Digits of any script count: Arabic-Indic and Devanagari numbers are typed too.
    assert phone_tsquery("١٢٣٤٥", None) == "'12345':*C"
    assert phone_tsquery("०३० १२३४", "DE") == "'49301234':*C"
