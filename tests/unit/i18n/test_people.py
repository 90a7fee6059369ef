"""Name order and address layout by country."""

from __future__ import annotations

from sampark.platform.i18n import use_locale
from sampark.platform.i18n.people import family_name_first, format_address, format_name


def test_family_name_first_by_country_or_language() -> None:
    assert format_name("Taro", "Yamada", country="JP") == "Yamada Taro"
    assert format_name("太郎", "山田", language="ja") == "山田太郎"
    assert format_name("Ferenc", "Puskás", country="HU") == "Puskás Ferenc"
    assert format_name("Ada", "Lovelace", country="GB") == "Ada Lovelace"
    assert format_name("Ada", "", country="JP") == "Ada"
    assert family_name_first(language="ko_KR") and not family_name_first("DE", "ja")


def test_address_lines_follow_the_country() -> None:
    us = {"street": "1 Main St", "city": "Springfield", "region": "IL", "postcode": "62701", "country": "US"}
    assert format_address(us, "US") == ["1 Main St", "Springfield, IL 62701", "United States"]
    de = {"street": "Hauptstr. 5\nHinterhaus", "city": "Berlin", "postcode": "10115", "country": "DE"}
    assert format_address(de, "DE") == ["Hauptstr. 5", "Hinterhaus", "10115 Berlin", "Germany"]
    gb = {"street": "10 Downing St", "city": "London", "postcode": "SW1A 2AA", "country": "GB"}
    assert format_address(gb, "GB") == ["10 Downing St", "London", "SW1A 2AA", "United Kingdom"]
    with use_locale("ja"):
        jp = {
            "street": "丸の内1-1",
            "city": "千代田区",
            "region": "東京都",
            "postcode": "100-0005",
            "country": "JP",
        }
        assert format_address(jp, "JP") == ["〒100-0005", "東京都千代田区", "丸の内1-1", "日本"]


def test_missing_parts_leave_no_gaps_or_stray_separators() -> None:
    assert format_address({"city": "Springfield", "country": "US"}, "US") == ["Springfield", "United States"]
    assert format_address({"street": "Rua A, 10", "region": "SP"}, "BR") == ["Rua A, 10", "SP"]
    assert format_address({"city": "Nairobi", "postcode": "00100"}, "KE") == ["00100 Nairobi"]
