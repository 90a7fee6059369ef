"""The contact form moves the chosen primary e-mail/phone to the front and maps errors back to the rows."""

from litestar.datastructures import FormMultiDict

from sampark.web.contacts.forms import ContactForm


def test_primary_moves_first_and_errors_map_back_to_rows() -> None:
    form = ContactForm.from_post(
        FormMultiDict(
            [
                ("first_name", "Ann"),
                ("emails", "a@example.com"),
                ("emails", "bad@"),
                ("emails", "c@example.com"),
                ("primary_email", "2"),
                ("phones", "+4930123456"),
                ("phone_labels", "work"),
                ("address_count", "1"),
                ("addresses-0-city", "Berlin"),
                ("version", "3"),
            ]
        )
    )
    data = form.to_data()
    assert data["emails"] == ["c@example.com", "a@example.com", "bad@"]
    assert data["phones"] == [{"number": "+4930123456", "label": "work"}]
    assert data["addresses"][0]["city"] == "Berlin"
    assert "owner_id" not in data  # blank owner: "me" on create, unchanged on edit
    assert form.version == 3
    # The service saw "bad@" third (index 2); on the page it is the second row.
    assert form.input_ids({"emails.2": "bad", "addresses.0.city": "x"}) == {
        "emails-1": "bad",
        "addresses-0-city": "x",
    }


def test_rows_can_be_added_and_blank_rows_are_offered() -> None:
    form = ContactForm().with_blank_rows()
    assert form.emails == [""] and form.phones == [{"number": "", "label": ""}] and form.addresses == [{}]
    form.add_row("emails")
    assert form.emails == ["", ""]
