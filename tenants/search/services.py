"""Global search over contacts and companies with PostgreSQL full-text search.

Each object's generated ``search_vector`` (``simple`` configuration, GIN-indexed) is matched against a prefix
tsquery built from the words typed (see ``text.py``), limited to the records the principal may see, and ranked
so name matches (weight A) come before e-mail and domain matches (weight B). An object the principal may not
view at all is simply left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.companies import queries as companies
from sampark.tenants.companies.schemas import CompanyView, company_from_row
from sampark.tenants.companies.tables import Company
from sampark.tenants.contacts import queries as contacts
from sampark.tenants.contacts.fields import default_phone_region
from sampark.tenants.contacts.schemas import ContactView, contact_from_row
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.search.ranked import RankedSearch, ranked_rows
from sampark.tenants.search.text import phone_tsquery, prefix_tsquery, words

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

    @property
    def total(self) -> int:
        return len(self.contacts) + len(self.companies)


CONTACTS = RankedSearch(
    Contact,
    "c",
    contacts.COLUMNS,
    contacts.scope,
    "lower(c.first_name), lower(c.last_name), c.id",
    contacts.company_join,
)
COMPANIES = RankedSearch(
    Company, "co", companies.COLUMNS, companies.scope, "lower(co.name), co.id", companies.parent_join
)


async def _contacts(query: str, limit: int) -> list[ContactView]:
    return [contacts.masked(contact_from_row(row)) for row in await ranked_rows(CONTACTS, query, limit)]


async def _companies(query: str, limit: int) -> list[CompanyView]:
    return [company_from_row(row) for row in await ranked_rows(COMPANIES, query, limit)]


async def search(text: str, *, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """Contacts and companies matching every word of ``text`` as a prefix (or, for contacts, the phone number
    typed), best first, at most ``limit`` each."""
    text = text.strip()[:200]
    query = prefix_tsquery(text)
    if query is None or sum(len(word) for word in words(text)) < MIN_QUERY_LENGTH:
        return SearchResults(text, searched=False)
    found_contacts: list[ContactView] = []
    found_companies: list[CompanyView] = []
    contacts_allowed = companies_allowed = True
    # A typed phone number also matches contacts' numbers, normalized the way they are stored.
    phone = phone_tsquery(text, default_phone_region(current_tenant().region))
    try:
        found_contacts = await _contacts(f"({phone}) | ({query})" if phone else query, limit)
    except PermissionDenied:
        contacts_allowed = False
    try:
        found_companies = await _companies(query, limit)
    except PermissionDenied:
        companies_allowed = False
    return SearchResults(
        text, True, found_contacts, found_companies, contacts_allowed=contacts_allowed,
        companies_allowed=companies_allowed,
    )  # fmt: skip
