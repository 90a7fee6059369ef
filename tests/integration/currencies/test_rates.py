"""Exchange rates and conversion: rate by date, 0/2/3-decimal base currencies, missing rates, the CSV import's
all-or-nothing rule, permissions and audit."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from sampark.platform.db.sql import fetch, fetchval
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.currencies import services
from sampark.tenants.currencies.conversion import NoRate, base_currency, convert, rate_book
from sampark.tenants.currencies.schemas import RateError, RateImportError
from sampark.tenants.currencies.tables import ExchangeRate
from sampark.tenants.deals.services import create_deal, get_deal
from sampark.tenants.settings.services import update_region_settings
from tests.support.web import acting_in, make_member


async def _audit() -> list[tuple[str, dict]]:
    rows = await fetch(
        ExchangeRate,
        "SELECT action, changes FROM audit_log WHERE object_type = 'exchange_rates' ORDER BY id",
    )
    return [(row["action"], json.loads(row["changes"])) for row in rows]


async def test_convert_uses_the_latest_rate_valid_on_the_day(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        assert await base_currency() == "EUR"  # the EU preset's currency
        await services.add_rate({"currency": "usd", "rate": "0.90", "valid_from": "2026-01-01"})
        await services.add_rate({"currency": "USD", "rate": "0.95", "valid_from": "2026-02-01"})
        assert await convert(Decimal(100), "USD", date(2026, 1, 31)) == Decimal("90.00")
        assert await convert(Decimal(100), "USD", date(2026, 2, 1)) == Decimal("95.00")
        assert await convert(Decimal(100), "USD", date(2027, 5, 5)) == Decimal("95.00")
        with pytest.raises(NoRate) as missing:
            await convert(Decimal(100), "USD", date(2025, 12, 31))  # before the first rate: never 1:1
        assert missing.value.currency == "USD"
        with pytest.raises(NoRate):
            await convert(Decimal(100), "GBP", date(2026, 3, 1))
        # The base converts to itself, rounded to its minor unit.
        assert await convert(Decimal("10.005"), "EUR", date(2026, 3, 1)) == Decimal("10.01")
        book = await rate_book(["USD", "GBP", "EUR"], date(2026, 3, 1))
        assert book.convert(Decimal(10), "USD", date(2026, 1, 15)) == Decimal("9.00")
        assert book.convert(Decimal(10), "GBP", date(2026, 1, 15)) is None


@pytest.mark.parametrize(
    ("base", "rate", "amount", "expected"),
    [
        ("JPY", "161.237", Decimal("10.00"), Decimal("1612")),  # 0 decimals
        ("EUR", "0.9251", Decimal("19.99"), Decimal("18.49")),  # 2 decimals (18.493249)
        ("KWD", "0.30745", Decimal("1234.56"), Decimal("379.565")),  # 3 decimals (379.565472)
        ("BHD", "0.3760", Decimal("0.5"), Decimal("0.188")),  # 3 decimals
    ],
)
async def test_conversion_rounds_to_the_base_currency_decimals(tenant, base, rate, amount, expected) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        await update_region_settings({"default_currency": base})
        await services.add_rate({"currency": "USD", "rate": rate, "valid_from": "2026-01-01"})
        result = await convert(amount, "USD", date(2026, 6, 1))
        assert result == expected
        assert result.as_tuple().exponent == -len(str(expected).partition(".")[2])


async def test_half_up_rounding_and_a_base_change_keeps_old_rates_from_converting(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        await services.add_rate({"currency": "USD", "rate": "0.5", "valid_from": "2026-01-01"})
        assert await convert(Decimal("0.01"), "USD", date(2026, 1, 2)) == Decimal("0.01")  # 0.005 → 0.01
        await update_region_settings({"default_currency": "INR"})
        # The EUR-based USD rate must not be read as a USD→INR rate.
        with pytest.raises(NoRate):
            await convert(Decimal(1), "USD", date(2026, 1, 2))
        assert (await services.list_rates()).items == []
        assert await fetchval(ExchangeRate, "SELECT count(*) FROM exchange_rates") == 1


async def test_changing_the_base_is_audited_and_rewrites_no_amount(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        deal = await create_deal({"name": "Order", "amount": "1250.50", "currency": "USD"})
        await update_region_settings({"default_currency": "JPY"})
        assert await base_currency() == "JPY"
        assert (await get_deal(deal.id)).amount == Decimal("1250.50")  # type: ignore[union-attr]
        assert (await get_deal(deal.id)).currency == "USD"  # type: ignore[union-attr]
        entry = await fetch(
            ExchangeRate,
            "SELECT changes FROM audit_log WHERE object_type = 'settings' ORDER BY id DESC LIMIT 1",
        )
        assert json.loads(entry[0]["changes"])["default_currency"] == {"before": "EUR", "after": "JPY"}
        new = await create_deal({"name": "Next", "amount": "5"})
        assert new.currency == "JPY"  # new deals start in the base


async def test_bad_rates_are_refused_with_field_messages(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        with pytest.raises(RateError) as refused:
            await services.add_rate({"currency": "XYZ", "rate": "-1", "valid_from": "31/12/2026"})
        assert set(refused.value.errors) == {"currency", "rate", "valid_from"}
        for value in ("0", "1,5", "abc", "NaN", "Infinity", "1e20", "0.00000000001"):
            with pytest.raises(RateError) as refused:
                await services.add_rate({"currency": "USD", "rate": value})
            assert set(refused.value.errors) == {"rate"}, value
        with pytest.raises(RateError) as refused:
            await services.add_rate({"currency": "EUR", "rate": "1"})
        assert "base currency" in refused.value.errors["currency"]


async def test_entering_a_rate_again_for_the_same_day_replaces_it_and_everything_is_audited(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        first = await services.add_rate({"currency": "USD", "rate": "0.9", "valid_from": "2026-01-01"})
        second = await services.add_rate({"currency": "USD", "rate": "0.91", "valid_from": "2026-01-01"})
        assert second.id == first.id and second.rate == Decimal("0.91")
        await services.delete_rate(first.id)
        audit = await _audit()
        assert [action for action, _ in audit] == ["create", "update", "delete"]
        assert audit[0][1]["rate"] == {"before": None, "after": "0.9"}
        assert audit[1][1]["rate"] == {"before": "0.9", "after": "0.91"}
        assert audit[2][1]["currency"]["before"] == "USD"


async def test_csv_import_reports_every_bad_line_and_writes_nothing(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        data = (
            b"currency,rate,date\n"
            b"USD,0.92,2026-01-01\n"
            b"XXQ,1.2,2026-01-01\n"
            b"GBP,-3,2026-01-01\n"
            b"\n"
            b"INR,0.011,2026-13-01\n"
            b"USD,0.93,2026-01-01\n"
            b"JPY,0.0061\n"
            b"EUR,1,2026-01-01\n"
        )
        with pytest.raises(RateImportError) as refused:
            await services.import_rates(data)
        lines = {problem.line: problem.reason for problem in refused.value.problems}
        assert sorted(lines) == [3, 4, 6, 7, 8, 9]
        assert "currency code" in lines[3]
        assert "more than 0" in lines[4]
        assert "date" in lines[6]
        assert "line 2" in lines[7]  # the same pair and day twice
        assert "3 values" in lines[8]
        assert "base currency" in lines[9]
        assert await fetchval(ExchangeRate, "SELECT count(*) FROM exchange_rates") == 0
        assert await _audit() == []


async def test_csv_import_writes_all_good_lines(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        count = await services.import_rates(b"\xef\xbb\xbfUSD,0.92,2026-01-01\r\ngbp, 1.17 ,2026-01-02\r\n")
        assert count == 2
        page = await services.list_rates(sort="currency")
        assert [(r.currency, r.rate, r.source) for r in page.items] == [
            ("GBP", Decimal("1.17"), "import"), ("USD", Decimal("0.92"), "import"),
        ]  # fmt: skip
        assert len(await _audit()) == 2
        for data in (b"", b"\xff\xfe", b"a" * (300 * 1024)):
            with pytest.raises(RateImportError) as refused:
                await services.import_rates(data)
            assert refused.value.problems[0].line == 0


async def test_only_settings_editors_change_rates_and_viewers_read(tenant) -> None:
    admin = await make_member(tenant)
    sales = await make_member(tenant, role="sales")
    async with acting_in(tenant, admin):
        await services.add_rate({"currency": "USD", "rate": "0.9"})
    async with acting_in(tenant, sales):
        with pytest.raises(PermissionDenied):
            await services.add_rate({"currency": "GBP", "rate": "1.1"})
        with pytest.raises(PermissionDenied):
            await services.import_rates(b"GBP,1.1,2026-01-01")
        with pytest.raises(PermissionDenied):
            await services.list_rates()
        # Converting needs no permission: board totals work for everyone.
        assert await convert(Decimal(10), "USD", date.today()) == Decimal("9.00")
