"""``/t/<slug>/api/v1/companies``: list, get, create, PATCH and delete, with the same ETag/If-Match, error and
duplicate rules as the contact API. Deleting a company keeps its contacts (their company is cleared)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from sampark.platform.i18n import gettext as _
from sampark.tenants.companies import queries
from sampark.tenants.companies.services import (
    MAX_PAGE_SIZE,
    DuplicateCompanies,
    create_company,
    delete_company,
    get_company,
    list_companies,
    update_company,
)
from sampark.tenants.search.listing import ListError
from sampark.web.companies.schemas import CompanyCreate, CompanyList, CompanyOut, CompanyPatch, company_out
from sampark.web.contacts.http import (
    API_EXCEPTION_HANDLERS,
    duplicate_error,
    expected_version,
    list_error,
    list_filters,
)
from sampark.web.contacts.schemas import body_dict
from sampark.web.deps import CurrentTenant


class CompanyApiController(Controller):
    path = "/api/v1/companies"
    tags = ["companies"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/")
    async def list_companies(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 50,
        cursor: Annotated[
            str | None, QueryParameter(max_length=500, description="next_cursor of the last page")
        ] = None,
        sort: Annotated[
            str | None,
            QueryParameter(description="name, domain, created_at, updated_at or id; prefix - for descending"),
        ] = None,
        name: Annotated[str | None, QueryParameter(description="words the name starts with")] = None,
        domain: Annotated[
            str | None, QueryParameter(description="a domain, normalized before matching")
        ] = None,
        industry: FromQuery[str | None] = None,
        owner_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        parent_id: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> CompanyList:
        """Companies the caller may see; unknown filter or sort fields answer 400.

        Custom fields filter as ``cf.<key>...`` like contacts; an unknown key answers 400 ``invalid_filter``.
        """
        filters = list_filters(request, queries.LIST_SPEC.filters)
        try:
            page = await list_companies(limit=limit, cursor=cursor, sort=sort, filters=filters)
        except ListError as problem:
            raise list_error(problem) from None
        return CompanyList([company_out(item) for item in page.items], page.next_cursor)

    @get("/{company_id:int}")
    async def get_company(self, tenant: CurrentTenant, company_id: FromPath[int]) -> Response[CompanyOut]:
        """One company with its ``ETag``; 404 when it does not exist here or the caller may not see it."""
        company = await get_company(company_id)
        if company is None:
            raise NotFoundException()
        return Response(company_out(company), headers={"ETag": company.etag})

    @post("/")
    async def create_company(
        self,
        tenant: CurrentTenant,
        data: JSONBody[CompanyCreate],
        allow_duplicate: Annotated[
            bool, QueryParameter(description="create even if the domain is in use")
        ] = False,
    ) -> Response[CompanyOut]:
        """Create a company: 201 with ``Location`` and ``ETag``; 409 ``duplicate``; 422 ``validation_failed``."""
        fields = body_dict(data)
        try:
            company = await create_company(fields, allow_duplicate=allow_duplicate)
        except DuplicateCompanies as found:
            raise duplicate_error(
                _("Another company already uses this domain."),
                [(item.id, item.name) for item in found.matches],
                found.hidden,
                f"/t/{tenant.slug}/api/v1/companies",
            ) from None
        location = f"/t/{tenant.slug}/api/v1/companies/{company.id}"
        return Response(
            company_out(company), status_code=201, headers={"ETag": company.etag, "Location": location}
        )

    @patch("/{company_id:int}")
    async def update_company(
        self,
        tenant: CurrentTenant,
        company_id: FromPath[int],
        data: JSONBody[CompanyPatch],
        if_match: Annotated[
            str | None, HeaderParameter(name="If-Match", description="the ETag last read")
        ] = None,
    ) -> Response[CompanyOut]:
        """Change the fields sent. 428 without ``If-Match``, 412 when the company changed since that ETag."""
        version = expected_version(if_match)
        # Not found, version conflicts and field errors answer through web/errors.py's handlers.
        company = await update_company(company_id, body_dict(data), expected_version=version)
        return Response(company_out(company), headers={"ETag": company.etag})

    @delete("/{company_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def delete_company(
        self,
        tenant: CurrentTenant,
        company_id: FromPath[int],
        if_match: Annotated[
            str | None, HeaderParameter(name="If-Match", description="the ETag last read")
        ] = None,
    ) -> None:
        """Delete a company; its contacts and subsidiaries stay, detached. 428/412 as for PATCH."""
        version = expected_version(if_match)
        await delete_company(company_id, expected_version=version)
