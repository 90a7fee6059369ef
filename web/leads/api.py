"""``/t/<slug>/api/v1/leads``: list (filters, sort, cursor), get, create, PATCH, delete and ``POST /{id}/convert``.

Same rules as the contact API: ``ETag`` on reads, ``If-Match`` required on PATCH, DELETE and convert (428
without, 412 when stale), 409 ``duplicate`` unless ``?allow_duplicate=true``. A converted lead is read-only:
PATCH and a second conversion answer 409 ``lead_converted``.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from sampark.platform.i18n import gettext as _
from sampark.tenants.leads import queries
from sampark.tenants.leads.conversion import convert_lead
from sampark.tenants.leads.fields import STATUSES
from sampark.tenants.leads.services import (
    MAX_PAGE_SIZE,
    DuplicateLeads,
    LeadConverted,
    create_lead,
    delete_lead,
    get_lead,
    list_leads,
    update_lead,
)
from sampark.tenants.search.listing import ListError
from sampark.web.contacts.http import (
    API_EXCEPTION_HANDLERS,
    api_error,
    expected_version,
    list_error,
    list_filters,
)
from sampark.web.contacts.schemas import body_dict
from sampark.web.deps import CurrentTenant
from sampark.web.errors import ApiError
from sampark.web.leads.schemas import (
    ConvertBody,
    ConvertOut,
    LeadCreate,
    LeadList,
    LeadOut,
    LeadPatch,
    lead_out,
)

IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="the ETag last read")]


def _converted() -> ApiError:
    return api_error(409, "lead_converted", _("This lead was converted and can no longer be changed."))


class LeadApiController(Controller):
    path = "/api/v1/leads"
    tags = ["leads"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/")
    async def list_leads(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 50,
        cursor: Annotated[
            str | None, QueryParameter(max_length=500, description="next_cursor of the last page")
        ] = None,
        sort: Annotated[
            str | None,
            QueryParameter(
                description="name, company_name, created_at, updated_at or id; prefix - for descending (default -created_at)"
            ),
        ] = None,
        q: Annotated[
            str | None, QueryParameter(description="words the name, company or e-mail starts with")
        ] = None,
        email: Annotated[
            str | None, QueryParameter(description="an exact address, or words it starts with")
        ] = None,
        status: Annotated[str | None, QueryParameter(description=", ".join(STATUSES))] = None,
        source: FromQuery[str | None] = None,
        owner_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        tag: FromQuery[str | None] = None,
    ) -> LeadList:
        """Leads the caller may see; unknown filter or sort fields answer 400."""
        filters = list_filters(request, queries.LIST_SPEC.filters)
        try:
            page = await list_leads(limit=limit, cursor=cursor, sort=sort, filters=filters)
        except ListError as problem:
            raise list_error(problem) from None
        return LeadList([lead_out(item) for item in page.items], page.next_cursor)

    @get("/{lead_id:int}")
    async def get_lead(self, tenant: CurrentTenant, lead_id: FromPath[int]) -> Response[LeadOut]:
        """One lead with its ``ETag``; 404 when it does not exist here or the caller may not see it."""
        lead = await get_lead(lead_id)
        if lead is None:
            raise NotFoundException()
        return Response(lead_out(lead), headers={"ETag": lead.etag})

    @post("/")
    async def create_lead(
        self,
        tenant: CurrentTenant,
        data: JSONBody[LeadCreate],
        allow_duplicate: Annotated[
            bool, QueryParameter(description="create even if a duplicate exists")
        ] = False,
    ) -> Response[LeadOut]:
        """Create a lead: 201 with ``Location`` and ``ETag``; 409 ``duplicate``; 422 ``validation_failed``."""
        fields = body_dict(data)
        region = fields.pop("phone_region", None)
        try:
            lead = await create_lead(fields, allow_duplicate=allow_duplicate, phone_region=region)
        except DuplicateLeads as found:
            raise _duplicate(found, f"/t/{tenant.slug}/api/v1") from None
        location = f"/t/{tenant.slug}/api/v1/leads/{lead.id}"
        return Response(lead_out(lead), status_code=201, headers={"ETag": lead.etag, "Location": location})

    @patch("/{lead_id:int}")
    async def update_lead(
        self,
        tenant: CurrentTenant,
        lead_id: FromPath[int],
        data: JSONBody[LeadPatch],
        if_match: IfMatch = None,
    ) -> Response[LeadOut]:
        """Change the fields sent. 428 without ``If-Match``, 412 when stale, 409 ``lead_converted``."""
        fields = body_dict(data)
        region = fields.pop("phone_region", None)
        version = expected_version(if_match)
        try:
            lead = await update_lead(lead_id, fields, expected_version=version, phone_region=region)
        except LeadConverted:
            raise _converted() from None
        return Response(lead_out(lead), headers={"ETag": lead.etag})

    @delete("/{lead_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def delete_lead(
        self, tenant: CurrentTenant, lead_id: FromPath[int], if_match: IfMatch = None
    ) -> None:
        """Delete a lead (what a conversion created stays). 428 without ``If-Match``, 412 when stale."""
        await delete_lead(lead_id, expected_version=expected_version(if_match))

    @post("/{lead_id:int}/convert", status_code=200)
    async def convert_lead(
        self,
        tenant: CurrentTenant,
        lead_id: FromPath[int],
        data: JSONBody[ConvertBody],
        if_match: IfMatch = None,
    ) -> Response[ConvertOut]:
        """Convert the lead in one transaction: contact (new or ``contact_id``), company, optional deal.

        428/412 as for PATCH; 409 ``lead_converted``; 422 ``validation_failed`` with details keyed
        ``contact_id``, ``company_id``, ``contact.<field>``, ``company.<field>`` or ``deal.<field>`` (nothing
        is created then); 403 without create permission on a record it would create.
        """
        version = expected_version(if_match)
        try:
            result = await convert_lead(lead_id, data.plan(), expected_version=version)
        except LeadConverted:
            raise _converted() from None
        body = ConvertOut(
            lead=lead_out(result.lead),
            contact_id=result.contact.id,
            company_id=result.company.id if result.company else None,
            deal_id=result.deal.id if result.deal else None,
            created_contact=result.created_contact,
            created_company=result.created_company,
        )
        return Response(body, headers={"ETag": result.lead.etag})


def _duplicate(found: DuplicateLeads, base: str) -> ApiError:
    """409 ``duplicate`` naming matching leads and contacts, each with its own API URL."""
    matches = [
        {"type": "lead", "id": lead.id, "name": lead.display_name, "url": f"{base}/leads/{lead.id}"}
        for lead in found.leads
    ] + [
        {
            "type": "contact",
            "id": contact.id,
            "name": contact.display_name,
            "url": f"{base}/contacts/{contact.id}",
        }
        for contact in found.contacts
    ]
    message = _("A lead or contact already has one of these e-mail addresses or phone numbers.")
    return api_error(409, "duplicate", message, {"matches": matches, "hidden_matches": found.hidden})
