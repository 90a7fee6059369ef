"""Clean lead input from a form or the API, reusing the contact rules for e-mails, phones, tags and ids."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.tenants.companies.fields import domain_problem, normalize_domain
from sampark.tenants.contacts.addresses import country_codes
from sampark.tenants.contacts.fields import clean_emails, clean_phones, clean_tags
from sampark.tenants.contacts.validation import as_list, optional_id
from sampark.tenants.leads.fields import OPEN_STATUSES, SOURCES

WRITABLE = (
    "first_name", "last_name", "company_name", "title", "emails", "phones", "website", "source", "status",
    "disqualify_reason", "owner_id", "notes", "tags",
)  # fmt: skip
# Longest value per text field (the column widths in tables.py).
_TEXT_LIMITS = {
    "first_name": 100, "last_name": 100, "company_name": 200, "title": 100, "disqualify_reason": 200,
    "notes": 5000,
}  # fmt: skip


def website_domain(website: str) -> str:
    """The normalized domain of a website (``https://www.acme.example/x`` -> ``acme.example``)."""
    return normalize_domain(website) if website else ""


def clean_lead(data: Mapping[str, Any], *, phone_region: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Cleaned values for the writable fields present in ``data``, and the problems found.

    Rules that need the whole lead (a name or company, a reason for "unqualified") are the service's.
    """
    data = dict(data)
    for single, many in (("email", "emails"), ("phone", "phones")):
        if single in data and many not in data:
            data[many] = as_list(data.pop(single))
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, limit in _TEXT_LIMITS.items():
        if name in data:
            raw = str(data[name] or "")
            clean[name] = raw.strip() if name == "notes" else " ".join(raw.split())
            if len(clean[name]) > limit:
                errors[name] = _("Use at most %(limit)d characters.", limit=limit)
    if "emails" in data:
        clean["emails"] = clean_emails(as_list(data["emails"]), errors)
    if "phones" in data:
        region = phone_region if phone_region in country_codes() else None
        clean["phones"] = clean_phones(as_list(data["phones"]), region, errors)
    if "website" in data:
        clean["website"] = str(data["website"] or "").strip()
        problem = domain_problem(website_domain(clean["website"])) if clean["website"] else None
        if problem or len(clean["website"]) > 253:
            errors["website"] = _("Enter a website like example.com or https://example.com.")
    if "source" in data:
        clean["source"] = str(data["source"] or "").strip()
        if clean["source"] and clean["source"] not in SOURCES:
            errors["source"] = _("Choose a source from the list.")
    if "status" in data:
        clean["status"] = str(data["status"] or "new").strip()
        if clean["status"] not in OPEN_STATUSES:
            errors["status"] = _("Choose a status from the list.")
    if "owner_id" in data:
        clean["owner_id"] = optional_id(data["owner_id"], "owner_id", errors)
    if "tags" in data:
        tags = data["tags"]
        clean["tags"] = clean_tags(tags if isinstance(tags, str) else as_list(tags), errors)
    return clean, errors


def check_whole(lead: Mapping[str, Any], errors: dict[str, str]) -> None:
    """Rules over the lead as it would be saved: someone to call it by, and why it was disqualified."""
    if not (lead.get("first_name") or lead.get("last_name") or lead.get("company_name")):
        errors.setdefault("last_name", _("Enter a name or a company."))
    if lead.get("status") == "unqualified" and not lead.get("disqualify_reason"):
        errors.setdefault("disqualify_reason", _("Say why this lead does not qualify."))
