"""Lead conversion: one all-or-nothing step that creates or links a contact, creates or links a company,
optionally creates a deal, marks the lead converted with links to all of it, and moves the lead's links.

Every part goes through its own service (``create_contact``, ``create_company``, ``create_deal``), so each is
permission-checked and audited as if made by hand. The parts run inside a savepoint: when any of them fails
(an invalid deal amount, a contact without a first name), everything made so far is rolled back and the
caller's transaction stays usable, so a page can show the errors in the same request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sampark.platform.db.sql import fetch
from sampark.platform.i18n import gettext as _
from sampark.platform.tenancy.context import tenant_connection
from sampark.tenants.access.policy import PermissionDenied, Principal, require
from sampark.tenants.audit.services import record_change
from sampark.tenants.companies.queries import COLUMNS as COMPANY_COLUMNS
from sampark.tenants.companies.queries import find_duplicate_companies, get_company, parent_join
from sampark.tenants.companies.queries import scope as company_scope
from sampark.tenants.companies.schemas import CompanyView, company_from_row
from sampark.tenants.companies.services import create_company
from sampark.tenants.companies.tables import Company
from sampark.tenants.contacts.queries import find_duplicates, get_contact
from sampark.tenants.contacts.schemas import ContactView
from sampark.tenants.contacts.services import create_contact, update_contact
from sampark.tenants.deals.schemas import DealView
from sampark.tenants.deals.services import create_deal
from sampark.tenants.leads.fields import contact_source
from sampark.tenants.leads.queries import OBJECT
from sampark.tenants.leads.schemas import LeadConverted, LeadView, VersionConflict
from sampark.tenants.leads.services import AUDIT_TYPE, locked, snapshot, update_statement, write
from sampark.tenants.leads.validation import website_domain
from sampark.tenants.records.errors import FieldErrors
from sampark.tenants.records.links import record_converted
from sampark.tenants.search.listing import Sql

COMPANY_MODES = ("new", "existing", "none")
# Mail providers whose domain says nothing about where someone works.
_FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "icloud.com",
    "aol.com", "gmx.de", "gmx.net", "web.de", "proton.me", "protonmail.com", "yandex.ru", "mail.ru",
    "rediffmail.com", "qq.com", "163.com",
})  # fmt: skip


class ConversionError(FieldErrors):
    """The conversion cannot be done as asked; keys are ``contact_id``, ``company_id``, ``contact.<field>``,
    ``company.<field>`` and ``deal.<field>``. Nothing was changed."""


@dataclass(frozen=True)
class ConversionPlan:
    """What to do with a lead.

    Attributes:
        contact_id: an existing contact to link, or None to create one from the lead.
        company_mode: "new" (create one from the lead), "existing" (link ``company_id``) or "none".
        company_id: the company to link when ``company_mode`` is "existing".
        company_name: the new company's name (default: the lead's company name).
        deal: the deal to create (name, amount, currency, pipeline_id, stage_id, expected_close_date), or None.
    """

    contact_id: int | None = None
    company_mode: str = "none"
    company_id: int | None = None
    company_name: str = ""
    deal: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ConversionResult:
    lead: LeadView
    contact: ContactView
    company: CompanyView | None
    deal: DealView | None
    created_contact: bool
    created_company: bool


@dataclass(frozen=True)
class ConversionMatches:
    """What a lead might already be: contacts sharing an e-mail or phone, companies by domain or name."""

    contacts: list[ContactView] = field(default_factory=list)
    companies: list[CompanyView] = field(default_factory=list)


def lead_domain(lead: LeadView) -> str:
    """The company domain a lead suggests: its website, else its e-mail's domain unless that is a mail provider."""
    domain = website_domain(lead.website)
    if not domain and lead.email and "@" in lead.email:
        domain = lead.email.rsplit("@", 1)[1]
    return "" if domain in _FREE_MAIL else domain


async def conversion_matches(lead: LeadView) -> ConversionMatches:
    """Contacts and companies the principal may see that look like this lead (for the conversion page)."""
    numbers = [phone.number for phone in lead.phones]
    contacts, _hidden = await find_duplicates(list(lead.emails), numbers)
    companies: list[CompanyView] = []
    domain = lead_domain(lead)
    if domain:
        companies, _hidden = await find_duplicate_companies(domain)
    if lead.company_name:
        named = await _companies_named(lead.company_name)
        companies += [company for company in named if all(company.id != seen.id for seen in companies)]
    return ConversionMatches(contacts, companies[:20])


async def _companies_named(name: str) -> list[CompanyView]:
    """Companies the principal may see whose name is ``name`` (case-insensitive)."""
    sql = Sql()
    sql.where(f"lower(co.name) = lower({sql.bind(name)})")
    try:
        company_scope(sql)
    except PermissionDenied:
        return []
    join = parent_join(sql)
    query = f"SELECT {COMPANY_COLUMNS} FROM companies co {join} {sql.where_sql()} ORDER BY co.id LIMIT 10"
    return [company_from_row(row) for row in await fetch(Company, query, *sql.params)]


async def convert_lead(
    lead_id: int, plan: ConversionPlan, *, expected_version: int | None
) -> ConversionResult:
    """Convert the lead as ``plan`` says, all or nothing.

    Needs ``edit`` on the lead, ``create`` on each record created, and an existing contact or company must be
    one the principal may see.

    Raises:
        LeadNotFound: no such lead, or the principal may not see it.
        PermissionDenied: the principal may not edit the lead or create one of the records.
        VersionConflict: the lead changed since ``expected_version``.
        LeadConverted: the lead was converted already.
        ConversionError: what to fix, keyed by section (nothing was changed).
    """
    current = await locked(lead_id)
    principal = require(OBJECT, "edit", owner_id=current.owner_id)
    if current.converted:  # said first: a stale form for a converted lead has nothing left to retry
        raise LeadConverted(current)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(current)
    _check_plan(plan, principal)
    # A savepoint: a failure in any part rolls back the parts before it, and only them.
    async with tenant_connection().transaction():
        company, created_company = await _company(current, plan)
        contact, created_contact = await _contact(current, plan, company)
        deal = await _deal(current, plan, contact, company) if plan.deal is not None else None
        sql = Sql()
        values: dict[str, Any] = {
            "status": "converted",
            "converted_contact_id": contact.id,
            "converted_company_id": company.id if company else None,
            "converted_deal_id": deal.id if deal else None,
            "converted_by": principal.user_id,
        }
        lead = await write(update_statement(lead_id, values, sql, extra="converted_at = now(), "), sql)
        await record_change(
            "convert", AUDIT_TYPE, lead_id, actor_user_id=principal.user_id, before=snapshot(current),
            after=snapshot(lead),
        )  # fmt: skip
        await record_converted(AUDIT_TYPE, lead_id, "contact", contact.id)
    return ConversionResult(lead, contact, company, deal, created_contact, created_company)


def _check_plan(plan: ConversionPlan, principal: Principal) -> None:
    """Refuse a plan that cannot work before anything is written (403 for a missing create permission)."""
    errors: dict[str, str] = {}
    if plan.company_mode not in COMPANY_MODES:
        errors["company_mode"] = _("Choose what to do about the company.")
    elif plan.company_mode == "existing" and plan.company_id is None:
        errors["company_id"] = _("Choose a company from the list.")
    if errors:
        raise ConversionError(errors)
    if plan.contact_id is None:
        require("contacts", "create", record=False)
    if plan.company_mode == "new":
        require("companies", "create", record=False)
    if plan.deal is not None:
        require("deals", "create", record=False)


def _prefixed(prefix: str, problem: FieldErrors) -> ConversionError:
    return ConversionError({f"{prefix}.{name}": message for name, message in problem.errors.items()})


async def _company(lead: LeadView, plan: ConversionPlan) -> tuple[CompanyView | None, bool]:
    if plan.company_mode == "existing" and plan.company_id is not None:
        company = await get_company(plan.company_id)
        if company is None:
            raise ConversionError({"company_id": _("Choose a company from the list.")})
        return company, False
    if plan.company_mode != "new":
        return None, False
    data: dict[str, Any] = {"name": plan.company_name or lead.company_name, "owner_id": lead.owner_id}
    domain = lead_domain(lead)
    if domain:
        data["domain"] = domain
    try:
        # The person chose "new" after seeing the matching companies: no second duplicate warning.
        return await create_company(data, allow_duplicate=True), True
    except FieldErrors as problem:
        raise _prefixed("company", problem) from None


async def _contact(
    lead: LeadView, plan: ConversionPlan, company: CompanyView | None
) -> tuple[ContactView, bool]:
    if plan.contact_id is not None:
        contact = await get_contact(plan.contact_id)
        if contact is None:
            raise ConversionError({"contact_id": _("Choose a contact from the list.")})
        if company is not None and contact.company_id is None and _may("contacts", "edit", contact.owner_id):
            contact = await update_contact(contact.id, {"company_id": company.id}, expected_version=None)
        return contact, False
    data = {
        "first_name": lead.first_name,
        "last_name": lead.last_name,
        "emails": list(lead.emails),
        "phones": [{"number": phone.number, "label": phone.label} for phone in lead.phones],
        "company_id": company.id if company else None,
        "owner_id": lead.owner_id,
        "lifecycle_stage": "sql",
        "source": contact_source(lead.source),
        "tags": list(lead.tags),
    }
    try:
        return await create_contact(data, allow_duplicate=True), True
    except FieldErrors as problem:
        raise _prefixed("contact", problem) from None


def _may(obj: str, action: str, owner_id: int | None) -> bool:
    try:
        require(obj, action, owner_id)
    except PermissionDenied:
        return False
    return True


async def _deal(
    lead: LeadView, plan: ConversionPlan, contact: ContactView, company: CompanyView | None
) -> Any:
    data = {
        **(plan.deal or {}),
        "company_id": company.id if company else None,
        "contact_ids": [contact.id],
        "owner_id": lead.owner_id,
    }
    if not str(data.get("name") or "").strip():
        data["name"] = lead.company_name or lead.display_name
    try:
        return await create_deal(data)
    except FieldErrors as problem:
        raise _prefixed("deal", problem) from None
