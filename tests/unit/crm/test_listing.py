"""List requests: allowlisted filters and sorts, opaque keyset cursors that cannot be forged into SQL."""

from datetime import UTC, datetime

import pytest

from sampark.tenants.contacts.queries import LIST_SPEC
from sampark.tenants.search.listing import ListError, Sql, apply_keyset, encode_cursor, parse_request


def test_unknown_filter_and_sort_have_stable_codes() -> None:
    with pytest.raises(ListError) as unknown_filter:
        parse_request(LIST_SPEC, {"password": "x"}, None, None)
    assert unknown_filter.value.code == "unknown_filter"
    with pytest.raises(ListError) as unknown_sort:
        parse_request(LIST_SPEC, {}, "-id; DROP TABLE contacts", None)
    assert unknown_sort.value.code == "unknown_sort"


def test_cursor_round_trip_and_keyset_condition() -> None:
    stamp = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    request = parse_request(LIST_SPEC, {}, "-updated_at", encode_cursor([stamp, 42]))
    assert request.cursor == (stamp, 42) and request.descending
    sql = Sql()
    order = apply_keyset(sql, request)
    assert sql.conditions == ["(c.updated_at, c.id) < ($1, $2)"]
    assert sql.params == [stamp, 42]
    assert order == "ORDER BY c.updated_at DESC, c.id DESC"


@pytest.mark.parametrize(
    "cursor",
    ["not base64 !", encode_cursor(["a", 1]), encode_cursor([1]), encode_cursor(["x", "y", "z"]), "e30"],
)
def test_a_cursor_for_another_sort_or_garbage_is_refused(cursor: str) -> None:
    with pytest.raises(ListError) as refused:
        parse_request(LIST_SPEC, {}, "created_at", cursor)
    assert refused.value.code == "invalid_cursor"


def test_empty_filter_values_are_dropped() -> None:
    assert parse_request(LIST_SPEC, {"name": "  ", "tag": "vip"}, None, None).filters == {"tag": "vip"}
