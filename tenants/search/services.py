"""Global search over contacts, companies and leads with PostgreSQL full-text search.

Each object's generated ``search_vector`` (``simple`` configuration, GIN-indexed) is matched against a prefix
tsquery built from the words typed (see ``text.py``), limited to the records the principal may see, and ranked
so name matches (weight A) come before e-mail and domain matches (weight B). An object the principal may not
view at all is simply left out.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.companies import queries as companies
from sampark.tenants.companies.schemas import CompanyView, company_from_row
from sampark.tenants.companies.tables import Company
from sampark.tenants.contacts import queries as contacts
from sampark.tenants.contacts.schemas import ContactView, contact_from_row
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.deals import queries as deals
from sampark.tenants.deals.schemas import DealView, deal_from_row
from sampark.tenants.deals.tables import Deal
from sampark.tenants.leads import queries as leads
from sampark.tenants.leads.schemas import LeadView, lead_from_row
from sampark.tenants.leads.tables import Lead
from sampark.tenants.search.db import fetch
from sampark.tenants.search.listing import Sql
from sampark.tenants.search.text import prefix_tsquery, words

MIN_QUERY_LENGTH = 2
DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class SearchResults:
    text: str
    # False when the text had too little to search for (the page then asks for more).
    searched: bool
    contacts: list[ContactView] = field(default_factory=list)
    companies: list[CompanyView] = field(default_factory=list)
    # Whether each object could be searched at all by this principal.
    contacts_allowed: bool = True
    companies_allowed: bool = True
    leads: list[LeadView] = field(default_factory=list)
    deals: list[DealView] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.contacts) + len(self.companies) + len(self.leads) + len(self.deals)


async def _contacts(query: str, limit: int) -> list[ContactView]:
    sql = Sql()
    contacts.scope(sql)
    bound = sql.bind(query)
    sql.where(f"c.search_vector @@ to_tsquery('simple', {bound})")
    join = contacts.company_join(sql)
    statement = (
        f"SELECT {contacts.COLUMNS} FROM contacts c {join} {sql.where_sql()}"
        f" ORDER BY ts_rank(c.search_vector, to_tsquery('simple', {bound})) DESC, lower(c.first_name), c.id"
        f" LIMIT {sql.bind(limit)}"
    )
    return [contacts.masked(contact_from_row(row)) for row in await fetch(Contact, statement, *sql.params)]


async def _companies(query: str, limit: int) -> list[CompanyView]:
    sql = Sql()
    companies.scope(sql)
    bound = sql.bind(query)
    sql.where(f"co.search_vector @@ to_tsquery('simple', {bound})")
    join = companies.parent_join(sql)
    statement = (
        f"SELECT {companies.COLUMNS} FROM companies co {join} {sql.where_sql()}"
        f" ORDER BY ts_rank(co.search_vector, to_tsquery('simple', {bound})) DESC, lower(co.name), co.id"
        f" LIMIT {sql.bind(limit)}"
    )
    return [company_from_row(row) for row in await fetch(Company, statement, *sql.params)]


async def _leads(query: str, limit: int) -> list[LeadView]:
    """Open and converted leads by name, company name or e-mail (a lead-less role leaves them out)."""
    sql = Sql()
    leads.scope(sql)
    bound = sql.bind(query)
    sql.where(f"l.search_vector @@ to_tsquery('simple', {bound})")
    statement = (
        f"SELECT {leads.COLUMNS} FROM leads l {sql.where_sql()}"
        f" ORDER BY ts_rank(l.search_vector, to_tsquery('simple', {bound})) DESC, lower(l.first_name), l.id"
        f" LIMIT {sql.bind(limit)}"
    )
    return [leads.masked(lead_from_row(row)) for row in await fetch(Lead, statement, *sql.params)]


async def _deals(query: str, limit: int) -> list[DealView]:
    sql = Sql()
    deals.scope(sql)
    bound = sql.bind(query)
    sql.where(f"d.search_vector @@ to_tsquery('simple', {bound})")
    statement = (
        f"SELECT {deals.COLUMNS} FROM deals d {deals.joins(sql)} {sql.where_sql()}"
        f" ORDER BY ts_rank(d.search_vector, to_tsquery('simple', {bound})) DESC, lower(d.name), d.id"
        f" LIMIT {sql.bind(limit)}"
    )
    return [deal_from_row(row) for row in await fetch(Deal, statement, *sql.params)]


async def search(text: str, *, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """Contacts and companies matching every word of ``text`` as a prefix, best first, at most ``limit`` each."""
    text = text.strip()[:200]
    query = prefix_tsquery(text)
    if query is None or sum(len(word) for word in words(text)) < MIN_QUERY_LENGTH:
        return SearchResults(text, searched=False)
    found_contacts: list[ContactView] = []
    found_companies: list[CompanyView] = []
    contacts_allowed = companies_allowed = True
    try:
        found_contacts = await _contacts(query, limit)
    except PermissionDenied:
        contacts_allowed = False
    try:
        found_companies = await _companies(query, limit)
    except PermissionDenied:
        companies_allowed = False
    found_leads: list[LeadView] = []
    with suppress(PermissionDenied):  # a role without leads simply finds none
        found_leads = await _leads(query, limit)
    try:
        found_deals = await _deals(query, limit)
    except PermissionDenied:
        found_deals = []
    return SearchResults(
        text, True, found_contacts, found_companies, contacts_allowed=contacts_allowed,
        companies_allowed=companies_allowed, leads=found_leads, deals=found_deals,
    )  # fmt: skip
