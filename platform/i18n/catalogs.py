"""Catalog upkeep: extract the message template from the source tree, merge it into every locale's ``.po``, and
check catalogs for untranslated, fuzzy or placeholder-breaking entries. A developer tool (needs the source
checkout with ``babel.cfg``), run by ``make i18n`` and by tests/unit/i18n/test_catalogs.py.

    python -m sampark.platform.i18n.catalogs update   # extract, merge into every .po, write messages.pot
    python -m sampark.platform.i18n.catalogs check    # list problems; exit status 1 when there are any
"""

from __future__ import annotations

import gettext
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from sampark.platform.i18n.translations import DEFAULT_LOCALE, LOCALE_DIR, SUPPORTED_LOCALES, catalog_path

SOURCE_ROOT = Path(__file__).resolve().parents[2]
MAPPING = SOURCE_ROOT / "babel.cfg"
TEMPLATE = LOCALE_DIR / "messages.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
# %(name)s, %(count)d, %(value)r ... and a literal %% (which is not a placeholder).
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def extract_template(root: Path = SOURCE_ROOT) -> Catalog:
    """Extract every translatable message under ``root`` with the mapping in ``babel.cfg``."""
    with MAPPING.open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping, str(MAPPING))
    template = Catalog(project="Sampark", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def load_catalog(locale: str) -> Catalog:
    with catalog_path(locale).open("rb") as source:
        return read_po(source, locale=locale)


def placeholders(text: str) -> list[str]:
    """The named (or positional) placeholders in ``text``, sorted; ``%%`` is not one."""
    found = []
    for match in _PLACEHOLDER.finditer(text):
        if match.group(0) != "%%":
            found.append(match.group(0) if match.group(1) is None else f"%({match.group(1)})")
    return sorted(found)


def _single_number_forms(catalog: Catalog) -> set[int]:
    """Plural forms used for exactly one number (Arabic zero, one and two): these may spell the number out."""
    choose = gettext.c2py(catalog.plural_expr)
    numbers: dict[int, set[int]] = {}
    for n in range(0, 1000):
        numbers.setdefault(choose(n), set()).add(n)
    return {form for form, members in numbers.items() if len(members) == 1}


def message_problems(locale: str, catalog: Catalog, message: Message) -> Iterable[str]:
    key = message.id if isinstance(message.id, str) else message.id[0]
    if message.fuzzy:
        yield f"{locale}: fuzzy: {key!r}"
    raw = message.string if isinstance(message.string, tuple | list) else (message.string,)
    strings = [text or "" for text in raw]
    if not all(strings) or (isinstance(message.id, tuple) and len(strings) != catalog.num_plurals):
        yield f"{locale}: untranslated: {key!r}"
        return
    if isinstance(message.id, str):
        if placeholders(strings[0]) != placeholders(message.id):
            yield f"{locale}: placeholders differ: {key!r} -> {strings[0]!r}"
        return
    expected = placeholders(message.id[1])
    spelled_out = _single_number_forms(catalog)
    for form, text in enumerate(strings):
        found = placeholders(text)
        if form in spelled_out and "%(num)" not in found:
            found = sorted([*found, *[p for p in expected if p == "%(num)"]])
        if found != expected:
            yield f"{locale}: placeholders differ in form {form}: {key!r} -> {text!r}"


def check(template: Catalog | None = None) -> list[str]:
    """Every problem in every shipped catalog: a template message missing, untranslated or fuzzy entries,
    and translations whose placeholders differ from the original's."""
    template = template or extract_template()
    problems: list[str] = []
    for locale in SUPPORTED_LOCALES:
        if locale == DEFAULT_LOCALE:
            continue
        if not catalog_path(locale).is_file():
            problems.append(f"{locale}: no catalog at {catalog_path(locale)}")
            continue
        catalog = load_catalog(locale)
        for message in template:
            if not message.id:
                continue
            translated = catalog.get(message.id, context=message.context)
            if translated is None:
                problems.append(f"{locale}: missing: {message.id!r}")
            else:
                problems.extend(message_problems(locale, catalog, translated))
    return problems


def update(template: Catalog | None = None) -> None:
    """Write the template and merge it into every shipped ``.po`` (new messages arrive empty, to translate)."""
    template = template or extract_template()
    with TEMPLATE.open("wb") as out:
        write_po(out, template, omit_header=False, sort_output=True, no_location=True)
    for locale in SUPPORTED_LOCALES:
        if locale == DEFAULT_LOCALE:
            continue
        catalog = load_catalog(locale)
        catalog.update(template, no_fuzzy_matching=True)
        with catalog_path(locale).open("wb") as out:
            write_po(out, catalog, sort_output=True, no_location=True, ignore_obsolete=True, width=110)


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["check"]:
        problems = check()
        print("\n".join(problems) or "all catalogs complete")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
