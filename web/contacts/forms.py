"""The contact form: posted fields <-> service data, extra rows without JavaScript, errors mapped to inputs.

Repeated inputs (e-mails, phones) share a name and are told apart by position; the chosen primary moves to
the front before the service sees them, and error keys are mapped back to the row the person typed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sampark.tenants.contacts.addresses import ADDRESS_FIELDS
from sampark.tenants.contacts.schemas import ContactView

ROW_ACTIONS = {"add_email": "emails", "add_phone": "phones", "add_address": "addresses"}
MAX_FORM_ROWS = 10


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


@dataclass
class ContactForm:
    first_name: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)
    primary_email: int = 0
    phones: list[dict[str, str]] = field(default_factory=list)
    primary_phone: int = 0
    phone_region: str = ""
    addresses: list[dict[str, str]] = field(default_factory=list)
    company_id: str = ""
    company_search: str = ""
    owner_id: str = ""
    lifecycle_stage: str = "lead"
    source: str = ""
    tags: str = ""
    language: str = ""
    time_zone: str = ""
    version: int | None = None
    # Custom field values: stored ones (from_view) or as posted (web/customfields/forms.py).
    custom: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_view(cls, view: ContactView, phone_region: str) -> ContactForm:
        return cls(
            first_name=view.first_name,
            last_name=view.last_name,
            emails=list(view.emails),
            phones=[{"number": phone.number, "label": phone.label} for phone in view.phones],
            phone_region=phone_region,
            addresses=[dict(address) for address in view.addresses],
            company_id=str(view.company_id or ""),
            owner_id=str(view.owner_id or ""),
            lifecycle_stage=view.lifecycle_stage,
            source=view.source,
            tags=", ".join(view.tags),
            language=view.language,
            time_zone=view.time_zone,
            version=view.version,
            custom=dict(view.custom),
        )

    @classmethod
    def from_post(cls, form: Any) -> ContactForm:
        """Read a posted form (a Litestar ``FormMultiDict``)."""

        def text(name: str) -> str:
            return str(form.get(name) or "")

        numbers, labels = form.getall("phones", []), form.getall("phone_labels", [])
        count = min(_int(text("address_count")), MAX_FORM_ROWS)
        return cls(
            first_name=text("first_name"),
            last_name=text("last_name"),
            emails=[str(value) for value in form.getall("emails", [])][:MAX_FORM_ROWS],
            primary_email=_int(text("primary_email")),
            phones=[
                {"number": str(number), "label": str(labels[index]) if index < len(labels) else ""}
                for index, number in enumerate(numbers[:MAX_FORM_ROWS])
            ],
            primary_phone=_int(text("primary_phone")),
            phone_region=text("phone_region"),
            addresses=[
                {name: text(f"addresses-{index}-{name}") for name in ("label", *ADDRESS_FIELDS)}
                for index in range(count)
            ],
            company_id=text("company_id"),
            company_search=text("company_search"),
            owner_id=text("owner_id"),
            lifecycle_stage=text("lifecycle_stage"),
            source=text("source"),
            tags=text("tags"),
            language=text("language"),
            time_zone=text("time_zone"),
            version=_int(text("version"), -1) if text("version") else None,
        )

    def add_row(self, kind: str) -> None:
        rows: list[Any] = getattr(self, kind)
        if len(rows) < MAX_FORM_ROWS:
            rows.append("" if kind == "emails" else {"number": "", "label": ""} if kind == "phones" else {})

    def with_blank_rows(self) -> ContactForm:
        """At least one row of each list to type into."""
        for kind in ("emails", "phones", "addresses"):
            if not getattr(self, kind):
                self.add_row(kind)
        return self

    def _order(self, count: int, primary: int) -> list[int]:
        primary = primary if 0 <= primary < count else 0
        return [primary, *(index for index in range(count) if index != primary)] if count else []

    def to_data(self) -> dict[str, Any]:
        """What the service takes: the primary e-mail and phone first."""
        data: dict[str, Any] = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "emails": [self.emails[i] for i in self._order(len(self.emails), self.primary_email)],
            "phones": [self.phones[i] for i in self._order(len(self.phones), self.primary_phone)],
            "addresses": self.addresses,
            "company_id": self.company_id,
            "lifecycle_stage": self.lifecycle_stage or "lead",
            "source": self.source,
            "tags": self.tags,
            "language": self.language,
            "time_zone": self.time_zone,
            "custom": self.custom,
        }
        if self.owner_id:  # blank means "me" when creating and "unchanged" when editing
            data["owner_id"] = self.owner_id
        return data

    def input_ids(self, errors: dict[str, str]) -> dict[str, str]:
        """Service error keys (``emails.0`` in primary-first order) as the ids of the inputs they belong to."""
        orders = {
            "emails": self._order(len(self.emails), self.primary_email),
            "phones": self._order(len(self.phones), self.primary_phone),
        }
        mapped: dict[str, str] = {}
        for key, message in errors.items():
            parts = key.split(".")
            if parts[0] in orders and len(parts) == 2 and parts[1].isdigit():
                order = orders[parts[0]]
                index = int(parts[1])
                parts[1] = str(order[index] if index < len(order) else index)
            mapped["-".join(parts)] = message
        return mapped
