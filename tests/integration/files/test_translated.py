"""The file pages, with a record and a file to show, leak no English in any other shipped locale."""

from __future__ import annotations

import pytest

from sampark.platform.i18n import SUPPORTED_LOCALES
from sampark.tenants.files import services
from sampark.web.locale.resolve import LOCALE_COOKIE
from tests.integration.files.conftest import PDF, chunks
from tests.integration.i18n.test_every_page_translated import _untranslated_sources, _visible_text
from tests.support.web import acting_in, add_contact, make_member, sign_in


@pytest.mark.parametrize("locale", [locale for locale in SUPPORTED_LOCALES if locale != "en"])
async def test_file_pages_are_translated(client, tenant, storage, locale: str) -> None:
    admin = await make_member(tenant)
    ann = await add_contact(tenant, admin, "Ann")
    async with acting_in(tenant, admin):
        view = await services.upload_file("contact", ann, "plan.pdf", chunks(PDF))
        await services.add_version(view.id, "plan.pdf", chunks(PDF), expected_version=None)
        await services.read_version(view.id)
    await sign_in(client, admin)
    client.cookies.set(LOCALE_COOKIE, locale)
    sources = _untranslated_sources(locale)
    leaks = {}
    for path in (
        f"/files/?record_type=contact&record_id={ann}",
        f"/files/{view.id}",
        f"/files/{view.id}/delete",
    ):
        response = await client.get(f"/t/{tenant.slug}{path}")
        assert response.status_code == 200, path
        found = [source for source in sources if source in _visible_text(response.text)]
        if found:
            leaks[path] = found
    assert leaks == {}
