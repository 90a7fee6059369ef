"""CSRF refusal on every unsafe route: walk the app's route table and send each POST, PUT, PATCH and DELETE
from a signed-in admin's browser without the token, with a forged one, and (on the tenant API) with a Bearer
header next to the session cookie, which must not buy an exemption. Every one answers 403 ``csrf_failed`` before any handler
runs.
"""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.routes import HTTPRoute

from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.contacts.tables import Contact
from tests.support.web import add_contact, make_member, sign_in

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
_PARAM = re.compile(r"\{(\w+):(\w+)\}")


def unsafe_routes(app: Litestar) -> list[tuple[str, str]]:
    """(method, path template) for every unsafe method the app routes."""
    found = []
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            found.extend((method, route.path) for method in sorted(route.methods) if method in UNSAFE)
    return found


def concrete(path: str, slug: str, record_id: int) -> str:
    def fill(match: re.Match[str]) -> str:
        name, kind = match.groups()
        if name == "slug":
            return slug
        return str(record_id) if kind == "int" else "contact" if name == "record_type" else "x"

    return _PARAM.sub(fill, path)


async def _contacts(tenant) -> int:
    async with tenant_context(slug=tenant.slug):
        return await Contact.count()


async def test_every_unsafe_route_refuses_a_request_without_the_csrf_token(app, client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    contact = await add_contact(tenant, admin, "Kept")
    await sign_in(client, admin)
    await client.get(f"/t/{tenant.slug}/")  # the session cookie and the CSRF cookie are both there
    assert {"sampark_session", "sampark_csrf"} <= set(client.cookies.keys())
    routes = unsafe_routes(app)
    assert len(routes) > 100  # the walk covers the real table, not a handful of routes
    accepted = []
    for method, template in routes:
        url = concrete(template, tenant.slug, contact)
        headers = {"accept": "application/json"}
        response = await client.request(method, url, headers=headers, data={"first_name": "Changed"})
        if response.status_code != 403 or response.json()["error"]["code"] != "csrf_failed":
            accepted.append((method, url, response.status_code))
        forged = {**headers, "x-csrftoken": "forged-" + "A" * 40}
        response = await client.request(method, url, headers=forged, data={"first_name": "Changed"})
        if response.status_code != 403 or response.json()["error"]["code"] != "csrf_failed":
            accepted.append((method, url + " (forged token)", response.status_code))
        if "/api/" in template and template.startswith("/t/"):
            bearer = {**headers, "authorization": "Bearer sk_" + "x" * 43}
            response = await client.request(method, url, headers=bearer, json={"first_name": "Changed"})
            if response.status_code != 403 or response.json()["error"]["code"] != "csrf_failed":
                accepted.append((method, url + " (Bearer + session cookie)", response.status_code))
    assert accepted == []
    assert await _contacts(tenant) == 1  # nothing was deleted or created
