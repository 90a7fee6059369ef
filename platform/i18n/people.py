"""Names and postal addresses laid out the way each country writes them. Data tables, not code branches.

The tables are deliberately small: the countries Sampark's regions cover plus the family-name-first cultures.
A country missing here gets the international default (given name first; street, city, postcode lines).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from babel import Locale, UnknownLocaleError

from sampark.platform.i18n.translations import current_locale

# Countries (ISO 3166) and languages where the family name comes first in everyday writing.
FAMILY_NAME_FIRST_COUNTRIES = frozenset({"JP", "CN", "TW", "HK", "KR", "KP", "HU", "VN"})
FAMILY_NAME_FIRST_LANGUAGES = frozenset({"ja", "zh", "ko", "hu", "vi"})

# Address lines, top to bottom, as fields in braces. Lines left empty after filling are dropped.
ADDRESS_LAYOUTS: Mapping[str, tuple[str, ...]] = {
    "DEFAULT": ("{street}", "{postcode} {city}", "{region}", "{country}"),
    "US": ("{street}", "{city}, {region} {postcode}", "{country}"),
    "CA": ("{street}", "{city} {region} {postcode}", "{country}"),
    "AU": ("{street}", "{city} {region} {postcode}", "{country}"),
    "GB": ("{street}", "{city}", "{postcode}", "{country}"),
    "IE": ("{street}", "{city}", "{region}", "{postcode}", "{country}"),
    "IN": ("{street}", "{city} {postcode}", "{region}", "{country}"),
    "BR": ("{street}", "{city} - {region}", "{postcode}", "{country}"),
    "DE": ("{street}", "{postcode} {city}", "{country}"),
    "FR": ("{street}", "{postcode} {city}", "{country}"),
    "ES": ("{street}", "{postcode} {city} {region}", "{country}"),
    "IT": ("{street}", "{postcode} {city} {region}", "{country}"),
    "NL": ("{street}", "{postcode} {city}", "{country}"),
    # Japan writes from the largest unit down: postcode mark, prefecture and city, then the block.
    "JP": ("〒{postcode}", "{region}{city}", "{street}", "{country}"),
    "CN": ("{postcode}", "{region}{city}", "{street}", "{country}"),
    "KR": ("{region} {city}", "{street}", "{postcode}", "{country}"),
}
ADDRESS_FIELDS = ("street", "city", "region", "postcode", "country")


def family_name_first(country: str = "", language: str = "") -> bool:
    """Whether names are written family name first for this country (or, without one, this language)."""
    if country:
        return country.upper() in FAMILY_NAME_FIRST_COUNTRIES
    return language.split("_")[0].lower() in FAMILY_NAME_FIRST_LANGUAGES


def _ideographic(text: str) -> bool:
    return any(unicodedata.name(char, "").startswith(("CJK", "HIRAGANA", "KATAKANA")) for char in text)


def format_name(given: str, family: str, *, country: str = "", language: str = "") -> str:
    """The full name in the order the country uses; names written in CJK script take no space between."""
    given, family = given.strip(), family.strip()
    if not family_name_first(country, language):
        return " ".join(part for part in (given, family) if part)
    separator = "" if _ideographic(given + family) else " "
    return separator.join(part for part in (family, given) if part)


def country_name(code: str, locale: str | None = None) -> str:
    """The country's name in the reader's language ("DE" is "Allemagne" in French); unknown codes as given."""
    try:
        names = Locale.parse(locale or current_locale()).territories
    except (UnknownLocaleError, ValueError):
        return code
    return str(names.get(code.upper(), code))


def format_address(address: Mapping[str, str | None], country: str = "") -> list[str]:
    """The address's lines in the order the post of ``country`` expects; empty parts leave no gaps.

    ``address`` has ``street`` (may hold several lines), ``city``, ``region``, ``postcode`` and ``country``
    (ISO 3166 alpha-2, shown by name in the reader's language); ``country`` picks the layout.
    """
    layout = ADDRESS_LAYOUTS.get(country.upper(), ADDRESS_LAYOUTS["DEFAULT"])
    values = {field: (address.get(field) or "").strip() for field in ADDRESS_FIELDS}
    if len(values["country"]) == 2:
        values["country"] = country_name(values["country"])
    lines = []
    for template in layout:
        filled = template.format(**values)
        # A line whose fields were all empty may still hold separators or a postcode mark: drop it then.
        if not any(values[field] for field in re.findall(r"{(\w+)}", template)):
            continue
        for line in filled.splitlines():
            line = re.sub(r"[ \t]{2,}", " ", line).strip(" ,-")
            if line:
                lines.append(line)
    return lines
