"""Global search over contacts, companies, leads, deals and activities with PostgreSQL full-text search.

Each object's generated ``search_vector`` (``simple`` configuration, GIN-indexed) is matched against a prefix
tsquery built from the words typed (see ``text.py``), limited to the records the principal may see, and ranked
so name matches (weight A) come before e-mail and domain matches (weight B); ``ranked.py`` bounds the ranking so
it stays fast on big tables. An object the principal may not view at all is simply left out.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.policy import PermissionDenied, current_principal
from sampark.tenants.activities import queries as activities
from sampark.tenants.activities.schemas import ActivityView
from sampark.tenants.activities.tables import Activity
from sampark.tenants.companies import queries as companies
from sampark.tenants.companies.schemas import CompanyView, company_from_row
from sampark.tenants.companies.tables import Company
from sampark.tenants.contacts import queries as contacts
from sampark.tenants.contacts.fields import default_phone_region
from sampark.tenants.contacts.schemas import ContactView, contact_from_row
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.deals import queries as deals
from sampark.tenants.deals.schemas import DealView, deal_from_row
from sampark.tenants.deals.tables import Deal
from sampark.tenants.leads import queries as leads
from sampark.tenants.leads.schemas import LeadView, lead_from_row
from sampark.tenants.leads.tables import Lead
from sampark.tenants.search.listing import Sql
from sampark.tenants.search.names import name_prefix_rows
from sampark.tenants.search.ranked import RankedSearch, index_scans, ranked_rows
from sampark.tenants.search.text import phone_tsquery, prefix_tsquery, words

MIN_QUERY_LENGTH = 2
DEFAULT_LIMIT = 10


def _activity_scope(sql: Sql) -> None:
    sql.where(activities.visible_sql(sql))


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
LEADS = RankedSearch(Lead, "l", leads.COLUMNS, leads.scope, "lower(l.first_name), lower(l.last_name), l.id")
DEALS = RankedSearch(Deal, "d", deals.COLUMNS, deals.scope, "lower(d.name), d.id", deals.joins)
# Notes, calls, meetings and e-mails by subject and body; newest first among equals.
ACTIVITIES = RankedSearch(Activity, "a", activities.COLUMNS, _activity_scope, "a.occurred_at DESC, a.id DESC")


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
    # Open and converted leads by name, company name or e-mail.
    leads: list[LeadView] = field(default_factory=list)
    deals: list[DealView] = field(default_factory=list)
    # Each on a record the principal may see.
    activities: list[ActivityView] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            len(self.contacts)
            + len(self.companies)
            + len(self.leads)
            + len(self.deals)
            + len(self.activities)
        )


def contact_terms(text: str) -> tuple[str, str | None]:
    """The contact tsquery for ``text`` (names always; e-mails, phone numbers unless the role hides them) and
    the phone-number query, None when the text is no number or phones are hidden."""
    hidden = current_principal().hidden("contacts")
    no_emails, no_phones = bool(hidden & {"email", "emails"}), bool(hidden & {"phone", "phones"})
    weights = "A" + ("" if no_emails else "B") + ("" if no_phones else "C")
    query = prefix_tsquery(text, weights) or "''"
    phone = None if no_phones else phone_tsquery(text, default_phone_region(current_tenant().region))
    return query, phone


async def search(text: str, *, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """Records matching every word of ``text`` as a prefix (or, for contacts, the phone number typed), best
    first, at most ``limit`` of each object."""
    text = text.strip()[:200]
    query = prefix_tsquery(text)
    if query is None or sum(len(word) for word in words(text)) < MIN_QUERY_LENGTH:
        return SearchResults(text, searched=False)
    # A typed phone number also matches contacts' numbers, normalized the way they are stored. Neither a number
    # nor e-mail words match contacts on a field the reader's role hides: a hit would tell the hidden value.
    contact_query, phone = contact_terms(text)
    found_contacts: list[ContactView] = []
    found_companies: list[CompanyView] = []
    found_leads: list[LeadView] = []
    found_deals: list[DealView] = []
    found_activities: list[ActivityView] = []
    contacts_allowed = companies_allowed = True
    # One setting for every object searched below (see ranked.py).
    async with index_scans(Contact):
        try:
            # Names starting with what was typed come first, in name order; ranked full-text matches fill up.
            rows = await name_prefix_rows(words(text), limit)
            if len(rows) < limit:
                seen = {row["id"] for row in rows}
                terms = f"({phone}) | ({contact_query})" if phone else contact_query
                ranked = await ranked_rows(CONTACTS, terms, limit)
                rows += [row for row in ranked if row["id"] not in seen][: limit - len(rows)]
            found_contacts = [contacts.masked(contact_from_row(row)) for row in rows]
        except PermissionDenied:
            contacts_allowed = False
        try:
            found_companies = [company_from_row(row) for row in await ranked_rows(COMPANIES, query, limit)]
        except PermissionDenied:
            companies_allowed = False
        with suppress(PermissionDenied):
            lead_query = (prefix_tsquery(text, "A") or "''") if leads.emails_hidden() else query
            found_leads = [
                leads.masked(lead_from_row(row)) for row in await ranked_rows(LEADS, lead_query, limit)
            ]
        with suppress(PermissionDenied):
            found_deals = [deals.masked(deal_from_row(row)) for row in await ranked_rows(DEALS, query, limit)]
        with suppress(PermissionDenied):
            found_activities = await activities.with_links(await ranked_rows(ACTIVITIES, query, limit))
    return SearchResults(
        text, True, found_contacts, found_companies, contacts_allowed=contacts_allowed,
        companies_allowed=companies_allowed, leads=found_leads, deals=found_deals, activities=found_activities,
    )  # fmt: skip
