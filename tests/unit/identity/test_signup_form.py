"""Sign-up form validation (no database)."""

from sampark.platform.identity.signup import REGIONS, SignupForm, region_choices, validate_signup

GOOD = SignupForm(
    company_name="Acme Traders",
    slug="acme-traders",
    region="IN",
    admin_name="Asha Sharma",
    admin_email="asha@acme.example",
    password="violet-kettle-harbour",
)


def test_a_good_form_has_no_errors() -> None:
    assert validate_signup(GOOD) == {}


def test_the_slug_is_trimmed_and_lower_cased_before_checks() -> None:
    form = SignupForm(**{**GOOD.__dict__, "slug": "  Acme-Traders "})
    assert validate_signup(form) == {}
    assert form.normalized().slug == "acme-traders"


def test_every_field_is_checked() -> None:
    errors = validate_signup(SignupForm("", "", "", "", "", ""))
    assert set(errors) == {"company_name", "slug", "region", "admin_name", "admin_email", "password"}
    assert all(isinstance(message, str) and message for message in errors.values())


def test_bad_values_name_their_field() -> None:
    form = SignupForm(
        **{**GOOD.__dict__, "slug": "admin", "region": "XX", "admin_email": "asha@", "password": "short"}
    )
    assert set(validate_signup(form)) == {"slug", "region", "admin_email", "password"}
    invalid = SignupForm(**{**GOOD.__dict__, "slug": "-bad--slug"})
    reserved = SignupForm(**{**GOOD.__dict__, "slug": "admin"})
    assert validate_signup(invalid)["slug"] != validate_signup(reserved)["slug"]


def test_long_names_are_refused() -> None:
    form = SignupForm(**{**GOOD.__dict__, "company_name": "x" * 201, "admin_name": "y" * 201})
    assert set(validate_signup(form)) == {"company_name", "admin_name"}


def test_regions_are_the_agreed_codes_with_display_names() -> None:
    assert set(REGIONS) == {"EU", "UK", "US-CA", "BR", "IN", "CA", "AU", "GLOBAL"}
    assert dict(region_choices())["IN"] == "India"
