"""The company form: posted fields <-> service data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sampark.tenants.companies.schemas import CompanyView
from sampark.tenants.contacts.addresses import ADDRESS_FIELDS


@dataclass
class CompanyForm:
    name: str = ""
    domain: str = ""
    industry: str = ""
    size: str = ""
    address: dict[str, str] = field(default_factory=dict)
    parent_id: str = ""
    parent_search: str = ""
    owner_id: str = ""
    version: int | None = None
    # Custom field values: stored ones (from_view) or as posted (web/customfields/forms.py).
    custom: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_view(cls, view: CompanyView) -> CompanyForm:
        return cls(
            name=view.name,
            domain=view.domain,
            industry=view.industry,
            size=view.size,
            address=dict(view.address),
            parent_id=str(view.parent_id or ""),
            owner_id=str(view.owner_id or ""),
            version=view.version,
            custom=dict(view.custom),
        )

    @classmethod
    def from_post(cls, form: Any) -> CompanyForm:
        def text(name: str) -> str:
            return str(form.get(name) or "")

        version = text("version")
        return cls(
            name=text("name"),
            domain=text("domain"),
            industry=text("industry"),
            size=text("size"),
            address={name: text(f"address-{name}") for name in ADDRESS_FIELDS},
            parent_id=text("parent_id"),
            parent_search=text("parent_search"),
            owner_id=text("owner_id"),
            version=int(version) if version.isdigit() else (-1 if version else None),
        )

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "domain": self.domain,
            "industry": self.industry,
            "size": self.size,
            "address": self.address,
            "parent_id": self.parent_id,
            "custom": self.custom,
        }
        if self.owner_id:  # blank means "me" when creating and "unchanged" when editing
            data["owner_id"] = self.owner_id
        return data


def input_ids(errors: dict[str, str]) -> dict[str, str]:
    """Service error keys (``address.city``) as input ids (``address-city``)."""
    return {key.replace(".", "-"): message for key, message in errors.items()}
