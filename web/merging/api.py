"""``POST /t/<slug>/api/v1/contacts/{id}/merge`` and ``/companies/{id}/merge``: merge ``from_id`` into ``{id}``."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, Response, post
from litestar.params import FromPath, HeaderParameter, JSONBody

from sampark.tenants.merging.services import merge_records
from sampark.web.companies.schemas import CompanyOut, company_out
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS, expected_version
from sampark.web.contacts.schemas import ContactOut, contact_out
from sampark.web.deps import CurrentTenant


class MergeBody(msgspec.Struct, forbid_unknown_fields=True):
    """``fields`` maps a field to the record whose value survives (``into``, the default, or ``from``);
    lists (e-mails, phones, addresses, tags) are unioned."""

    from_id: int
    fields: dict[str, Literal["into", "from"]] = msgspec.field(default_factory=dict)
    # The other record's version (its ETag's number); checked when sent.
    from_version: int | None = None


IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="the survivor's ETag")]


class MergeApiController(Controller):
    path = "/api/v1"
    tags = ["merging"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @post("/contacts/{contact_id:int}/merge", status_code=200)
    async def merge_contacts(
        self,
        tenant: CurrentTenant,
        contact_id: FromPath[int],
        data: JSONBody[MergeBody],
        if_match: IfMatch = None,
    ) -> Response[ContactOut]:
        """Merge contact ``from_id`` into this one and delete it. 428 without ``If-Match``, 412 when stale,
        404 for either record not visible, 403 without edit (survivor) and delete (other) rights."""
        version = expected_version(if_match)
        survivor = await merge_records(
            "contact",
            contact_id,
            data.from_id,
            data.fields,
            expected_version=version,
            from_version=data.from_version,
        )
        return Response(contact_out(survivor), headers={"ETag": survivor.etag})

    @post("/companies/{company_id:int}/merge", status_code=200)
    async def merge_companies(
        self,
        tenant: CurrentTenant,
        company_id: FromPath[int],
        data: JSONBody[MergeBody],
        if_match: IfMatch = None,
    ) -> Response[CompanyOut]:
        """Merge company ``from_id`` into this one (its contacts and subsidiaries move over). Errors as for contacts."""
        version = expected_version(if_match)
        survivor = await merge_records(
            "company",
            company_id,
            data.from_id,
            data.fields,
            expected_version=version,
            from_version=data.from_version,
        )
        return Response(company_out(survivor), headers={"ETag": survivor.etag})
