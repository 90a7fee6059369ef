"""The stylesheet's blocks all close: a lost brace silently confines every later rule to one media query."""

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "web" / "static" / "css" / "app.css"


def test_every_block_closes_and_top_level_rules_stay_top_level() -> None:
    depth = 0
    for number, line in enumerate(STYLESHEET.read_text().splitlines(), 1):
        stripped = line.strip()
        # A rule or media query starting at column 0 must be at the top level.
        if line and not line[0].isspace() and not stripped.startswith(("}", "/*", "*")):
            assert depth == 0, f"line {number} starts a top-level rule inside an unclosed block: {line[:60]}"
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"line {number} closes a block that is not open"
    assert depth == 0, "a block is never closed"
