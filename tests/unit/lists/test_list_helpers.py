"""The pure parts of the shared list helpers: formula guard, exported custom columns, checkbox values, tag
changes."""

from __future__ import annotations

from sampark.platform.csv_cells import safe_cell
from sampark.tenants.customfields.schemas import FieldDefinition
from sampark.tenants.records.bulk import tag_changes
from sampark.tenants.records.export import exported_fields
from sampark.web.records.bulk import form_selection


def _field(key: str) -> FieldDefinition:
    return FieldDefinition(0, "deals", key, "text", key.title(), {}, (), False, None, None, None, 0, False, 1)


def test_safe_cell_quotes_formula_starts_only() -> None:
    assert [safe_cell(value) for value in ("=1+1", "+49", "-x", "@a", "\tb", "plain", None, 12)] == [
        "'=1+1", "'+49", "'-x", "'@a", "'\tb", "plain", "", "12",
    ]  # fmt: skip


def test_exported_fields_follow_the_chosen_columns() -> None:
    tier, score = _field("tier"), _field("score")
    assert exported_fields([tier, score], None) == [tier, score]
    assert exported_fields([tier, score], ["amount", "cf.score", "cf.gone", "cf.tier"]) == [score, tier]
    assert exported_fields([tier, score], ["amount"]) == []


def test_form_selection_reads_ids_and_versions() -> None:
    ids, versions = form_selection(["12:3", "7", "x", "9:y", "", "1" * 19, "5:0"])
    assert ids == [12, 7, 9, 5] and versions == {12: 3, 5: 0}


def test_tag_changes() -> None:
    assert tag_changes("tag", ("a",), "b") == {"tags": ["a", "b"]}
    assert tag_changes("tag", ("a",), "a") == {}
    assert tag_changes("untag", ("a", "b"), "a") == {"tags": ["b"]}
    assert tag_changes("untag", ("b",), "a") == {}
