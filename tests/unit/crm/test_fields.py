"""Field rules: e-mails, phones (E.164), tags, language, time zone, domains and addresses."""

import pytest

from sampark.tenants.companies.fields import clean_company, domain_problem, normalize_domain
from sampark.tenants.contacts.addresses import address_lines
from sampark.tenants.contacts.fields import default_phone_region
from sampark.tenants.contacts.validation import clean_contact


def test_emails_are_normalized_deduplicated_and_checked_per_row() -> None:
    clean, errors = clean_contact(
        {"emails": ["Ann@Example.com", "", "ann@example.com", "nope@"]}, phone_region=None
    )
    assert clean["emails"] == ["ann@example.com"]
    assert set(errors) == {"emails.3"}


def test_phones_become_e164_with_the_region_for_national_numbers() -> None:
    clean, errors = clean_contact(
        {"phones": [{"number": "030 1234567", "label": "work"}, "+91 98765 43210"]}, phone_region="DE"
    )
    assert errors == {}
    assert clean["phones"] == [
        {"number": "+49301234567", "label": "work"},
        {"number": "+919876543210", "label": ""},
    ]


def test_national_number_without_a_region_asks_for_the_country() -> None:
    _, errors = clean_contact({"phones": ["030 1234567"]}, phone_region=None)
    assert "country" in errors["phones.0"]


@pytest.mark.parametrize("number", ["12", "not a phone", "+49 1"])
def test_unparseable_numbers_are_refused(number: str) -> None:
    _, errors = clean_contact({"phones": [number]}, phone_region="DE")
    assert "phones.0" in errors


def test_region_defaults_follow_the_tenant_region() -> None:
    assert default_phone_region("UK") == "GB"
    assert default_phone_region("IN") == "IN"
    assert default_phone_region("EU") is None


def test_tags_language_time_zone_and_choices() -> None:
    clean, errors = clean_contact(
        {
            "tags": " VIP,  trade  fair ,vip",
            "language": "pt_br",
            "time_zone": "Asia/Kolkata",
            "source": "event",
        },
        phone_region=None,
    )
    assert errors == {}
    assert clean["tags"] == ["vip", "trade fair"]
    assert clean["language"] == "pt-BR"
    _, errors = clean_contact(
        {"language": "xx-zz", "time_zone": "Mars/Base", "lifecycle_stage": "king", "source": "?"},
        phone_region=None,
    )
    assert set(errors) == {"language", "time_zone", "lifecycle_stage", "source"}


def test_first_name_is_required_and_limited() -> None:
    _, errors = clean_contact({"first_name": "   "}, phone_region=None)
    assert "first_name" in errors
    _, errors = clean_contact({"first_name": "x" * 101}, phone_region=None)
    assert "first_name" in errors


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://www.Example.com/about?x=1", "example.com"),
        ("EXAMPLE.co.uk.", "example.co.uk"),
        ("mailto:someone@bücher.de", "bücher.de"),
        ("http://shop.example.org:8080", "shop.example.org"),
    ],
)
def test_domains_are_normalized(typed: str, stored: str) -> None:
    assert normalize_domain(typed) == stored
    assert domain_problem(stored) is None


@pytest.mark.parametrize("domain", ["localhost", "exa mple.com", "-bad.com", "example.123", "a..b"])
def test_bad_domains_are_refused(domain: str) -> None:
    assert domain_problem(normalize_domain(domain)) is not None


def test_company_address_and_size_are_checked() -> None:
    clean, errors = clean_company(
        {"name": "Acme", "size": "huge", "address": {"city": "Pune", "country": "XX"}}
    )
    assert set(errors) == {"size", "address.country"}
    clean, errors = clean_company({"name": "Acme", "address": {"street": "", "city": ""}})
    assert errors == {} and clean["address"] == {}


def test_address_lines_follow_the_country() -> None:
    us = {"street": "1 Main St", "city": "Springfield", "region": "IL", "postcode": "62701", "country": "US"}
    de = {"street": "Hauptstr. 1", "city": "Berlin", "postcode": "10115", "country": "DE"}
    assert address_lines(us)[:2] == ["1 Main St", "Springfield, IL 62701"]
    assert address_lines(de)[:2] == ["Hauptstr. 1", "10115 Berlin"]
