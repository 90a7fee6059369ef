"""Lead input cleaning and the form <-> service mapping (no database)."""

from sampark.tenants.leads.fields import contact_source
from sampark.tenants.leads.validation import check_whole, clean_lead, website_domain
from sampark.web.leads.forms import ConvertForm, LeadForm, input_ids


def test_clean_lead_reuses_contact_rules_and_collects_every_problem() -> None:
    clean, errors = clean_lead(
        {
            "email": "Ann@X.Example",
            "phone": "030 1234567",
            "website": "https://www.acme.example/x",
            "tags": "A, a",
        },
        phone_region="DE",
    )
    assert clean["emails"] == ["ann@x.example"] and clean["phones"][0]["number"] == "+49301234567"
    assert clean["tags"] == ["a"] and website_domain(clean["website"]) == "acme.example" and errors == {}
    _clean, errors = clean_lead({"website": "not a site", "status": "converted", "source": "x", "notes": "n" * 5001},
                                phone_region=None)  # fmt: skip
    assert set(errors) == {"website", "status", "source", "notes"}


def test_whole_lead_rules() -> None:
    errors: dict[str, str] = {}
    check_whole({"status": "unqualified"}, errors)
    assert set(errors) == {"last_name", "disqualify_reason"}
    errors = {}
    check_whole({"company_name": "Acme", "status": "unqualified", "disqualify_reason": "No budget"}, errors)
    assert errors == {}


def test_lead_sources_map_to_contact_sources() -> None:
    assert (contact_source("form"), contact_source("manual"), contact_source("event")) == (
        "website",
        "",
        "event",
    )


def test_forms_split_lists_and_map_errors() -> None:
    form = LeadForm(
        first_name="Ann", emails="a@x.example, b@x.example\nc@x.example", phones="+4930 1; +4930 2"
    )
    data = form.to_data()
    assert data["emails"] == ["a@x.example", "b@x.example", "c@x.example"] and len(data["phones"]) == 2
    assert "owner_id" not in data
    assert input_ids({"emails.2": "bad", "phones.0": "bad", "title": "long"}) == {
        "emails": "bad", "phones": "bad", "title": "long",
    }  # fmt: skip


def test_convert_form_plan() -> None:
    plan = ConvertForm(contact="12", company_mode="existing", company_id="7", create_deal=True, deal_name="D",
                       deal_amount="10", deal_stage_id="3").plan()  # fmt: skip
    assert (plan.contact_id, plan.company_id, plan.company_mode) == (12, 7, "existing")
    assert plan.deal == {"name": "D", "amount": "10", "stage_id": "3"}
    assert ConvertForm().plan().contact_id is None and ConvertForm().plan().deal is None
    assert ConvertForm(contact="<x>").plan().contact_id == 0  # names no record: "choose from the list"
