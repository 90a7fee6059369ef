"""The deal form: posted fields <-> service data, and the choices it offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sampark.platform.i18n.context import currency_codes
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.contacts.services import get_contact, list_contacts
from sampark.tenants.deals.schemas import DealView
from sampark.tenants.pipelines.schemas import PipelineView

CONTACT_CHOICES = 50


@dataclass
class DealForm:
    name: str = ""
    amount: str = ""
    currency: str = ""
    expected_close_date: str = ""
    stage_id: str = ""
    company_id: str = ""
    contact_ids: list[str] = field(default_factory=list)
    owner_id: str = ""
    version: int | None = None
    # Custom field values: stored ones (from_view) or as posted (web/customfields/forms.py).
    custom: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_view(cls, view: DealView) -> DealForm:
        return cls(
            name=view.name,
            amount=format(view.amount.normalize(), "f"),
            currency=view.currency,
            expected_close_date=view.expected_close_date.isoformat() if view.expected_close_date else "",
            stage_id=str(view.stage_id),
            company_id=str(view.company_id or ""),
            contact_ids=[str(id_) for id_ in view.contact_ids],
            owner_id=str(view.owner_id or ""),
            version=view.version,
            custom=dict(view.custom),
        )

    @classmethod
    def from_post(cls, form: Any) -> DealForm:
        def text(name: str) -> str:
            return str(form.get(name) or "")

        version = text("version")
        return cls(
            name=text("name"),
            amount=text("amount"),
            currency=text("currency"),
            expected_close_date=text("expected_close_date"),
            stage_id=text("stage_id"),
            company_id=text("company_id"),
            contact_ids=[str(value) for value in form.getall("contact_ids", [])],
            owner_id=text("owner_id"),
            version=int(version) if version.isdigit() else (-1 if version else None),
        )

    def to_data(self, pipelines: list[PipelineView]) -> dict[str, Any]:
        """Service data; the pipeline is the one holding the chosen stage."""
        data: dict[str, Any] = {
            "name": self.name,
            "amount": self.amount or "0",
            "currency": self.currency,
            "expected_close_date": self.expected_close_date,
            "company_id": self.company_id,
            "contact_ids": self.contact_ids,
            "custom": self.custom,
        }
        if self.stage_id:
            data["stage_id"] = self.stage_id
            owner = next((p for p in pipelines for s in p.stages if str(s.id) == self.stage_id), None)
            data["pipeline_id"] = owner.id if owner else None
        if self.owner_id:  # blank means "me" when creating and "unchanged" when editing
            data["owner_id"] = self.owner_id
        return data


def currency_choices() -> list[str]:
    return sorted(currency_codes())


async def contact_choices(selected: list[str], text: str = "") -> list[tuple[int, str]]:
    """Contacts to offer: those already chosen, then the first ones whose name starts with ``text`` (the first
    ones by name when empty). Empty without contacts access."""
    chosen_ids = [int(value) for value in selected if value.isdigit() and len(value) < 19]
    try:
        chosen = [
            contact for contact in [await get_contact(id_) for id_ in chosen_ids] if contact is not None
        ]
        filters = {"name": text} if text.strip() else {}
        items = (await list_contacts(limit=CONTACT_CHOICES, filters=filters)).items
    except PermissionDenied:
        return []
    choices = [(contact.id, contact.display_name) for contact in chosen]
    shown = {id_ for id_, _name in choices}
    choices += [(item.id, item.display_name) for item in items if item.id not in shown]
    return choices
