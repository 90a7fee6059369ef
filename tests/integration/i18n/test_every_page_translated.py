"""Every page, rendered in every shipped locale, shows no untranslated source string."""

import html
import re

import pytest

from sampark.platform.i18n import SUPPORTED_LOCALES
from sampark.platform.i18n.catalogs import load_catalog
from sampark.web.locale.resolve import LOCALE_COOKIE
from tests.support.web import make_member, sign_in

ANONYMOUS_PAGES = ("/", "/login", "/signup", "/password/forgot", "/no/such/page")
TENANT_PAGES = (
    "/", "/contacts/", "/contacts/new", "/companies/", "/companies/new", "/search?q=zz",
    "/admin/users/", "/admin/roles/", "/admin/roles/new", "/admin/teams/", "/settings/region", "/admin/security",
    "/admin/audit/",
    "/leads/", "/leads/new",
    "/deals/", "/deals/new", "/deals/board", "/admin/pipelines/",
    "/timeline/contact/1", "/timeline/company/1", "/activities/1/edit", "/activities/1/delete",
    "/contacts/1/merge?q=a", "/companies/1/merge?q=a",
    "/files/?record_type=contact&record_id=1",
    "/tasks/", "/tasks/new", "/calendar/", "/calendar/?view=week", "/calendar/feed", "/notifications/",
    "/admin/fields/", "/admin/fields/new", "/lists/contacts/columns", "/lists/companies/columns",
    "/lists/deals/columns", "/lists/leads/columns",
    "/admin/pipelines/1", "/admin/mail-templates/", "/admin/mail-templates/task_reminder/hi",
    "/admin/mail-templates/invitation/ja",
    "/admin/sso", "/admin/service-accounts",
    "/admin/currencies/", "/admin/consent/",
)  # fmt: skip
ACCOUNT_PAGES = ("/account/security", "/account/sessions", "/account/api-keys")
# Long enough that finding one inside a page cannot be a coincidence of a short word or of test data.
MIN_LENGTH = 14
_TAGS = re.compile(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", re.S)


def _visible_text(page: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", page)).split())


def _untranslated_sources(locale: str) -> list[str]:
    """English sources whose translation differs: seeing one on a page in ``locale`` means it leaked."""
    sources = []
    for message in load_catalog(locale):
        source = message.id if isinstance(message.id, str) else message.id[0]
        translated = message.string if isinstance(message.string, str) else (message.string or [""])[0]
        if source and "%" not in source and len(source) >= MIN_LENGTH and translated and translated != source:
            sources.append(" ".join(source.split()))
    return sources


@pytest.mark.parametrize("locale", [locale for locale in SUPPORTED_LOCALES if locale != "en"])
async def test_no_page_shows_english_in_another_locale(client, tenant, locale: str) -> None:
    sources = _untranslated_sources(locale)
    assert len(sources) > 100, "the catalog looks empty"
    client.cookies.set(LOCALE_COOKIE, locale)
    paths = list(ANONYMOUS_PAGES)
    await sign_in(client, await make_member(tenant, "admin"))
    paths += [f"/t/{tenant.slug}{path}" for path in TENANT_PAGES] + list(ACCOUNT_PAGES)
    leaks = {}
    for path in paths:
        response = await client.get(path, follow_redirects=True)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert f'lang="{locale.replace("_", "-")}' in response.text or f'lang="{locale}' in response.text, (
            path
        )
        text = _visible_text(response.text)
        found = [source for source in sources if source in text]
        if found:
            leaks[path] = found[:5]
    assert leaks == {}
