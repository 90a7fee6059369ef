"""The lead form and the conversion form: posted fields <-> service data, errors mapped to input ids.

E-mails and phones are typed into one box each, several separated by commas or new lines (the first is the
primary one), so the form needs no "add another" rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from sampark.tenants.leads.conversion import ConversionPlan
from sampark.tenants.leads.schemas import LeadView

_SPLIT = re.compile(r"[,;\n]+")
TEXT_FIELDS = (
    "first_name", "last_name", "company_name", "title", "website", "source", "status", "disqualify_reason",
    "owner_id", "notes", "tags", "emails", "phones", "phone_region",
)  # fmt: skip


def _items(text: str) -> list[str]:
    return [item.strip() for item in _SPLIT.split(text) if item.strip()]


@dataclass
class LeadForm:
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    title: str = ""
    website: str = ""
    source: str = "manual"
    status: str = "new"
    disqualify_reason: str = ""
    owner_id: str = ""
    notes: str = ""
    tags: str = ""
    emails: str = ""
    phones: str = ""
    phone_region: str = ""
    version: int | None = None
    # Custom field values: stored ones (from_view) or as posted (web/customfields/forms.py).
    custom: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_view(cls, view: LeadView, phone_region: str) -> LeadForm:
        return cls(
            first_name=view.first_name, last_name=view.last_name, company_name=view.company_name,
            title=view.title, website=view.website, source=view.source, status=view.status,
            disqualify_reason=view.disqualify_reason, owner_id=str(view.owner_id or ""), notes=view.notes,
            tags=", ".join(view.tags), emails=", ".join(view.emails),
            phones=", ".join(phone.number for phone in view.phones), phone_region=phone_region,
            version=view.version, custom=dict(view.custom),
        )  # fmt: skip

    @classmethod
    def from_post(cls, form: Any) -> LeadForm:
        values: dict[str, Any] = {name: str(form.get(name) or "") for name in TEXT_FIELDS}
        version = str(form.get("version") or "")
        return cls(**values, version=(int(version) if version.isdigit() else -1) if version else None)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            name: getattr(self, name) for name in TEXT_FIELDS if name not in ("owner_id", "phone_region")
        }
        data["emails"], data["phones"] = _items(self.emails), _items(self.phones)
        if self.owner_id:  # blank means "me" when creating and "unchanged" when editing
            data["owner_id"] = self.owner_id
        data["custom"] = self.custom
        return data

    def typed(self) -> dict[str, str]:
        return {
            f.name: str(getattr(self, f.name)) for f in fields(self) if f.name not in ("version", "custom")
        }


def input_ids(errors: dict[str, str]) -> dict[str, str]:
    """Service error keys as input ids: every ``emails.N`` belongs to the one ``emails`` box."""
    mapped: dict[str, str] = {}
    for key, message in errors.items():
        mapped.setdefault(
            key.split(".")[0] if key.startswith(("emails", "phones")) else key.replace(".", "-"), message
        )
    return mapped


@dataclass
class ConvertForm:
    """The conversion page's choices, as posted."""

    contact: str = "new"  # "new" or a contact id
    company_mode: str = "none"
    company_id: str = ""
    company_name: str = ""
    create_deal: bool = False
    deal_name: str = ""
    deal_amount: str = ""
    deal_currency: str = ""
    deal_stage_id: str = ""
    deal_close_date: str = ""
    version: int | None = None

    @classmethod
    def from_post(cls, form: Any) -> ConvertForm:
        def text(name: str) -> str:
            return str(form.get(name) or "").strip()

        version = text("version")
        return cls(
            contact=text("contact") or "new", company_mode=text("company_mode") or "none",
            company_id=text("company_id"), company_name=text("company_name"),
            create_deal=text("create_deal") == "1", deal_name=text("deal_name"), deal_amount=text("deal_amount"),
            deal_currency=text("deal_currency"), deal_stage_id=text("deal_stage_id"),
            deal_close_date=text("deal_close_date"),
            version=(int(version) if version.isdigit() else -1) if version else None,
        )  # fmt: skip

    def plan(self) -> ConversionPlan:
        deal: dict[str, Any] | None = None
        if self.create_deal:
            deal = {"name": self.deal_name, "amount": self.deal_amount or "0"}
            if self.deal_currency:
                deal["currency"] = self.deal_currency
            if self.deal_stage_id:
                deal["stage_id"] = self.deal_stage_id
            if self.deal_close_date:
                deal["expected_close_date"] = self.deal_close_date
        # Anything but "new" or a plain id names no record (0): the service answers "choose from the list".
        contact_id = None if self.contact == "new" else _id(self.contact)
        company_id = _id(self.company_id) if self.company_id else None
        return ConversionPlan(
            contact_id=contact_id, company_mode=self.company_mode, company_id=company_id,
            company_name=self.company_name, deal=deal,
        )  # fmt: skip


def _id(text: str) -> int:
    return int(text) if text.isdigit() and len(text) <= 18 else 0
