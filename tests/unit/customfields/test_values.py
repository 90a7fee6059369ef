"""Custom field values and definitions without a database: every type, limits, filters' names."""

import pytest

from sampark.tenants.customfields.definitions import clean_definition
from sampark.tenants.customfields.filters import with_custom
from sampark.tenants.customfields.schemas import FieldDefinition, Option
from sampark.tenants.customfields.values import audit_text, clean_values, history_display
from sampark.tenants.search.listing import ListError, ListSpec, Sort, Sql, parse_request


def _field(key: str, kind: str, **extra) -> FieldDefinition:
    values = {"id": 1, "object": "contacts", "key": key, "type": kind, "label": key.title(), "labels": {},
              "options": (), "required": False, "max_length": None, "min_value": None, "max_value": None,
              "position": 1, "archived": False, "version": 1, **extra}  # fmt: skip
    return FieldDefinition(**values)


TIER = _field(
    "tier", "select", options=(Option("gold", "Gold", {"de": "Gold-DE"}), Option("silver", "Silver"))
)


@pytest.mark.parametrize(
    ("field", "good", "stored", "bad"),
    [
        (_field("t", "text", max_length=3), " a  b ", "a b", "abcd"),
        (_field("n", "number", min_value="1"), "2.50", 2.5, "0"),
        (_field("n", "number"), 3, 3, "1e999"),
        (_field("d", "date", max_value="2030-01-01"), "2029-12-31", "2029-12-31", "2030-01-02"),
        (TIER, "gold", "gold", "bronze"),
        (_field("m", "multi_select", options=TIER.options), ["silver", "gold"], ["gold", "silver"], ["gold", 1]),
        (_field("b", "boolean"), "on", True, "maybe"),
        (_field("u", "url"), "http://example.com", "http://example.com", "ftp://example.com"),
        (_field("c", "currency", min_value="0"), {"amount": "1.5", "currency": "usd"},
         {"amount": "1.5", "currency": "USD"}, {"amount": "-1", "currency": "USD"}),
    ],
)  # fmt: skip
def test_each_type_cleans_good_values_and_refuses_bad_ones(field, good, stored, bad) -> None:
    errors: dict[str, str] = {}
    assert clean_values([field], {field.key: good}, {}, errors) == {field.key: stored} and errors == {}
    clean_values([field], {field.key: bad}, {}, errors)
    assert list(errors) == [f"custom.{field.key}"]


def test_archived_values_are_kept_and_required_fields_checked() -> None:
    archived = _field("old", "text", archived=True)
    required = _field("must", "text", required=True)
    errors: dict[str, str] = {}
    merged = clean_values([archived, required], {"must": "x"}, {"old": "kept"}, errors)
    assert merged == {"old": "kept", "must": "x"} and errors == {}
    clean_values([archived, required], {"old": "y"}, {}, errors)
    assert set(errors) == {"custom.old", "custom.must"}


def test_history_and_audit_text() -> None:
    assert audit_text(["a", "b"]) == "a, b" and audit_text({"amount": "2", "currency": "EUR"}) == "2 EUR"
    assert history_display(TIER, "gold") == "Gold"


def test_definitions_are_checked() -> None:
    clean, errors = clean_definition(
        {"key": "tier", "type": "select", "label": "Tier", "options": [{"key": "a", "label": "A"}]}
    )
    assert errors == {} and clean["options"] == [{"key": "a", "label": "A", "labels": {}}]
    _clean, errors = clean_definition({"key": "9x", "type": "date", "label": "D", "min_value": "2020-13-01"})
    assert set(errors) == {"key", "min_value"}


def test_unknown_custom_filter_names_are_invalid_not_unknown() -> None:
    spec = with_custom(
        ListSpec(filters={}, sorts={"id": Sort(("c.id",), ("int",))}, default_sort="id"), [TIER], "c"
    )
    request = parse_request(spec, {"cf.tier": "gold", "cf.nope": "1"}, None, None)
    sql = Sql()
    spec.filters["cf.tier"](sql, "gold")
    assert sql.params == ['{"tier":"gold"}']
    with pytest.raises(ListError) as refused:
        spec.filters["cf.nope"](Sql(), "1")
    assert refused.value.code == "invalid_filter" and "cf.nope" in request.filters
    with pytest.raises(ListError) as unknown:
        parse_request(spec, {"nope": "1"}, None, None)
    assert unknown.value.code == "unknown_filter"
