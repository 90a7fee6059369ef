"""Search text becomes a safe prefix tsquery: only letters, marks and digits ever reach PostgreSQL."""

import pytest

from sampark.tenants.search.text import MAX_WORDS, prefix_tsquery, words


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
