"""``/t/<slug>/api/v1/contacts``: list (filters, sort, cursor), get, create, PATCH and delete.

GET answers with an ``ETag``; PATCH and DELETE require ``If-Match`` with it (428 without, 412 when the
contact changed meanwhile). Creating a contact that shares an e-mail or phone with another answers 409
``duplicate`` unless ``?allow_duplicate=true``.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.exceptions import NotFoundException
from litestar.openapi.spec import Example
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from sampark.platform.i18n import gettext as _
from sampark.tenants.contacts import queries
from sampark.tenants.contacts.fields import LIFECYCLE_STAGES
from sampark.tenants.contacts.services import (
    MAX_PAGE_SIZE,
    DuplicateContacts,
    create_contact,
    delete_contact,
    get_contact,
    list_contacts,
    update_contact,
)
from sampark.tenants.search.listing import ListError
from sampark.web.contacts.http import (
    API_EXCEPTION_HANDLERS,
    duplicate_error,
    expected_version,
    list_error,
    list_filters,
)
from sampark.web.contacts.schemas import (
    ContactCreate,
    ContactList,
    ContactOut,
    ContactPatch,
    body_dict,
    contact_out,
)
from sampark.web.deps import CurrentTenant


class ContactApiController(Controller):
    path = "/api/v1/contacts"
    tags = ["contacts"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/")
    async def list_contacts(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 50,
        cursor: Annotated[
            str | None, QueryParameter(max_length=500, description="next_cursor of the last page")
        ] = None,
        sort: Annotated[
            str | None,
            QueryParameter(description="name, email, created_at, updated_at or id; prefix - for descending"),
        ] = None,
        name: Annotated[str | None, QueryParameter(description="words the name starts with")] = None,
        email: Annotated[
            str | None, QueryParameter(description="an exact address, or words it starts with")
        ] = None,
        phone: Annotated[
            str | None,
            QueryParameter(
                description="a phone number or its beginning, read in the tenant's default country"
            ),
        ] = None,
        company_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        owner_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        lifecycle_stage: Annotated[
            str | None,
            QueryParameter(examples=[Example(value="customer")], description=", ".join(LIFECYCLE_STAGES)),
        ] = None,
        tag: FromQuery[str | None] = None,
        source: Annotated[
            str | None, QueryParameter(description="a source key, like website or referral")
        ] = None,
        language: Annotated[
            str | None, QueryParameter(description="a language tag, like hi or pt-BR")
        ] = None,
        time_zone: Annotated[str | None, QueryParameter(description="an IANA time zone")] = None,
        country: Annotated[
            str | None, QueryParameter(description="has an address in this ISO country code")
        ] = None,
        created_from: Annotated[
            str | None, QueryParameter(description="created on or after this date (ISO)")
        ] = None,
        created_to: Annotated[
            str | None, QueryParameter(description="created on or before this date (ISO)")
        ] = None,
        updated_from: Annotated[
            str | None, QueryParameter(description="changed on or after this date (ISO)")
        ] = None,
        updated_to: Annotated[
            str | None, QueryParameter(description="changed on or before this date (ISO)")
        ] = None,
    ) -> ContactList:
        """Contacts the caller may see; unknown filter or sort fields answer 400 (``unknown_filter``/``unknown_sort``).

        Custom fields filter as ``cf.<key>`` (text contains, select has, boolean true/false), ``cf.<key>.eq``,
        ``cf.<key>.min``/``.max`` (number, date, currency amount); an unknown key answers 400 ``invalid_filter``.
        """
        filters = list_filters(request, queries.LIST_SPEC.filters)
        try:
            page = await list_contacts(limit=limit, cursor=cursor, sort=sort, filters=filters)
        except ListError as problem:
            raise list_error(problem) from None
        return ContactList([contact_out(item) for item in page.items], page.next_cursor)

    @get("/{contact_id:int}")
    async def get_contact(
        self,
        tenant: CurrentTenant,
        contact_id: FromPath[int],
        if_none_match: Annotated[str | None, HeaderParameter(name="If-None-Match")] = None,
    ) -> Response[ContactOut]:
        """One contact with its ``ETag``; 404 when it does not exist in this tenant or the caller may not see it."""
        contact = await get_contact(contact_id)
        if contact is None:
            raise NotFoundException()
        if if_none_match and contact.etag in [tag.strip() for tag in if_none_match.split(",")]:
            return Response(content=None, status_code=304, headers={"ETag": contact.etag})
        return Response(contact_out(contact), headers={"ETag": contact.etag})

    @post("/")
    async def create_contact(
        self,
        tenant: CurrentTenant,
        data: JSONBody[ContactCreate],
        allow_duplicate: Annotated[
            bool, QueryParameter(description="create even if a duplicate exists")
        ] = False,
    ) -> Response[ContactOut]:
        """Create a contact: 201 with ``Location`` and ``ETag``; 409 ``duplicate``; 422 ``validation_failed``."""
        fields = body_dict(data)
        region = fields.pop("phone_region", None)
        try:
            contact = await create_contact(fields, allow_duplicate=allow_duplicate, phone_region=region)
        except DuplicateContacts as problem:
            raise duplicate_error(
                _("Another contact already has one of these e-mail addresses or phone numbers."),
                [(match.id, match.display_name) for match in problem.matches],
                problem.hidden,
                f"/t/{tenant.slug}/api/v1/contacts",
            ) from None
        location = f"/t/{tenant.slug}/api/v1/contacts/{contact.id}"
        return Response(
            contact_out(contact), status_code=201, headers={"ETag": contact.etag, "Location": location}
        )

    @patch("/{contact_id:int}")
    async def update_contact(
        self,
        tenant: CurrentTenant,
        contact_id: FromPath[int],
        data: JSONBody[ContactPatch],
        if_match: Annotated[
            str | None, HeaderParameter(name="If-Match", description="the ETag last read")
        ] = None,
    ) -> Response[ContactOut]:
        """Change the fields sent. 428 without ``If-Match``, 412 when the contact changed since that ETag."""
        fields = body_dict(data)
        region = fields.pop("phone_region", None)
        version = expected_version(if_match)
        # Not found, version conflicts and field errors answer through web/errors.py's handlers.
        contact = await update_contact(contact_id, fields, expected_version=version, phone_region=region)
        return Response(contact_out(contact), headers={"ETag": contact.etag})

    @delete("/{contact_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def delete_contact(
        self,
        tenant: CurrentTenant,
        contact_id: FromPath[int],
        if_match: Annotated[
            str | None, HeaderParameter(name="If-Match", description="the ETag last read")
        ] = None,
    ) -> None:
        """Delete a contact. 428 without ``If-Match``, 412 when it changed since that ETag."""
        version = expected_version(if_match)
        await delete_contact(contact_id, expected_version=version)
