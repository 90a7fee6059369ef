"""The operator console, like every page, shows no untranslated English in another locale."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from litestar import Litestar

from sampark.platform.i18n import SUPPORTED_LOCALES
from sampark.web.locale.resolve import LOCALE_COOKIE
from tests.integration.i18n.test_every_page_translated import _untranslated_sources, _visible_text
from tests.integration.operators.support import make_operator, ops_sign_in

OPS_PAGES = (
    "/ops/",
    "/ops/account",
    "/ops/operators",
    "/ops/tenants/{slug}",
    "/ops/tenants/{slug}/contacts",
    "/ops/tenants/{slug}/companies",
)


@pytest.mark.parametrize("locale", [locale for locale in SUPPORTED_LOCALES if locale != "en"])
async def test_console_pages_are_translated(client: AsyncClient, app: Litestar, tenant, locale: str) -> None:
    sources = _untranslated_sources(locale)
    client.cookies.set(LOCALE_COOKIE, locale)
    leaks = {}
    login = await client.get("/ops/login")
    leaks["/ops/login"] = [source for source in sources if source in _visible_text(login.text)]
    await ops_sign_in(client, await make_operator(app.state.settings.secret_key))
    for path in (page.format(slug=tenant.slug) for page in OPS_PAGES):
        response = await client.get(path)
        assert response.status_code == 200, path
        leaks[path] = [source for source in sources if source in _visible_text(response.text)]
    assert {path: found for path, found in leaks.items() if found} == {}
