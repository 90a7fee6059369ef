"""Pipeline and stage names per locale: seeded translations, admin-entered ones, the fallback rule, on the board,
the deal list and page, the API and the admin pages; audit, permission, isolation and escaping."""

from __future__ import annotations

import json

from sampark.platform.i18n.preferences import set_user_locale
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.deals.services import create_deal, mark_lost
from sampark.tenants.pipelines import services as pipelines
from sampark.tenants.pipelines.queries import default_pipeline
from sampark.tenants.settings.services import update_region_settings
from tests.support.web import acting_in, api_session, make_member, post_form, sign_in

HINDI_QUALIFICATION = "योग्यता जाँच"


async def _member_in(tenant, locale: str, role: str = "admin"):
    member = await make_member(tenant, role)
    await set_user_locale(member.id, locale)
    return member


async def test_seeded_pipeline_has_every_locale_and_a_hindi_member_sees_hindi(client, tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        pipeline = await default_pipeline()
        assert pipeline is not None
        assert all(len(stage.names) == 8 for stage in pipeline.stages)
        assert pipeline.names["hi"] == "बिक्री"
        deal = await create_deal({"name": "Tea order", "amount": "10"})
    hindi = await _member_in(tenant, "hi")
    await api_session(client, tenant, hindi)
    base = f"/t/{tenant.slug}"
    board = await client.get(f"{base}/deals/board")
    assert board.status_code == 200 and HINDI_QUALIFICATION in board.text
    assert ">Qualification<" not in board.text
    listing = await client.get(f"{base}/deals/")
    assert HINDI_QUALIFICATION in listing.text
    detail = await client.get(f"{base}/deals/{deal.id}")
    assert HINDI_QUALIFICATION in detail.text and "बिक्री" in detail.text
    api = (await client.get(f"{base}/api/v1/pipelines")).json()[0]
    assert api["name"] == "बिक्री" and api["base_name"] == "Sales" and len(api["names"]) == 8
    assert (
        api["stages"][0]["name"] == HINDI_QUALIFICATION
        and api["stages"][0]["names"]["de"] == "Qualifizierung"
    )
    deal_api = (await client.get(f"{base}/api/v1/deals/{deal.id}")).json()
    assert deal_api["stage_name"] == HINDI_QUALIFICATION


async def test_admin_translates_a_stage_and_a_french_member_sees_it(client, tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        pipeline = await default_pipeline()
        assert pipeline is not None
        stage = pipeline.stages[1]
        deal = await create_deal({"name": "Bid", "amount": "5", "stage_id": stage.id})
    await sign_in(client, admin)
    url = f"/t/{tenant.slug}/admin/pipelines/{pipeline.id}"
    page = await client.get(url)
    assert page.status_code == 200 and 'name="names.fr"' in page.text and "Translations" in page.text
    form = {"_action": "update_stage", "stage_id": str(stage.id), "version": str(pipeline.version),
            "name": stage.name, "probability": "25", "kind": "open",
            **{f"names.{locale}": text for locale, text in stage.names.items()},
            "names.fr": "Étude <b>du besoin</b>"}  # fmt: skip
    saved = await post_form(client, url, url, form)
    assert saved.status_code == 303, saved.text[:500]
    french = await _member_in(tenant, "fr")
    await sign_in(client, french)
    board = await client.get(f"/t/{tenant.slug}/deals/board")
    assert "Étude &lt;b&gt;du besoin&lt;/b&gt;" in board.text and "<b>du besoin" not in board.text
    async with acting_in(tenant, admin):
        entry = (
            await AuditEntry.select()
            .where((AuditEntry.object_type == "pipeline_stage") & (AuditEntry.object_id == stage.id))
            .first()
        )
        assert entry is not None
        changes = entry["changes"] if isinstance(entry["changes"], dict) else json.loads(entry["changes"])
        assert (
            "du besoin" in changes["names"]["after"] and "Analyse des besoins" in changes["names"]["before"]
        )
        # Deals lost per stage and the stage history use the resolved name too.
        await mark_lost(deal.id, "price", expected_version=deal.version)
    history = await client.get(f"/t/{tenant.slug}/deals/{deal.id}")
    assert "Étude &lt;b&gt;du besoin&lt;/b&gt; → Perdue" in history.text
    report = await client.get(f"/t/{tenant.slug}/admin/pipelines/{pipeline.id}")
    assert "Étude &lt;b&gt;du besoin&lt;/b&gt;: 1" in report.text


async def test_fallback_reader_then_tenant_language_then_base(client, make_tenant) -> None:
    brazil = await make_tenant("BR")  # default language pt_BR
    admin = await make_member(brazil)
    async with acting_in(brazil, admin):
        pipeline = await default_pipeline()
        assert pipeline is not None
        renamed = await pipelines.add_stage(
            pipeline.id, {"name": "Discovery", "names": {"pt_BR": "Descoberta", "fr": "Découverte"}},
            expected_version=pipeline.version,
        )  # fmt: skip
        stage = renamed.stages[-1]
        await create_deal({"name": "Lead", "amount": "1", "stage_id": stage.id})
    japanese = await _member_in(brazil, "ja")
    await api_session(client, brazil, japanese)
    api = (await client.get(f"/t/{brazil.slug}/api/v1/pipelines/{pipeline.id}")).json()
    assert api["stages"][-1]["name"] == "Descoberta"  # no Japanese: the tenant's language
    french = await _member_in(brazil, "fr")
    await api_session(client, brazil, french)
    assert (await client.get(f"/t/{brazil.slug}/api/v1/pipelines/{pipeline.id}")).json()["stages"][-1][
        "name"
    ] == "Découverte"
    async with acting_in(brazil, admin):
        await update_region_settings({"default_locale": "en"})
    await api_session(client, brazil, japanese)
    stages = (await client.get(f"/t/{brazil.slug}/api/v1/pipelines/{pipeline.id}")).json()["stages"]
    assert stages[-1]["name"] == "Discovery"  # neither: the text as entered


async def test_rename_drops_stale_translations_and_api_validates(client, tenant) -> None:
    admin = await make_member(tenant)
    await api_session(client, tenant, admin)
    base = f"/t/{tenant.slug}/api/v1/pipelines"
    made = await client.post(base, json={"name": "Partners", "names": {"hi": "साझेदार", "xx": "?"}})
    assert made.status_code == 422 and made.json()["error"]["code"] == "validation_failed"
    assert "names.xx" in made.json()["error"]["details"]
    made = await client.post(base, json={"name": "Partners", "names": {"hi": "साझेदार"}})
    assert made.status_code == 201 and made.json()["names"] == {"hi": "साझेदार"}
    assert len(made.json()["stages"][0]["names"]) == 8  # new pipelines get the seeded stage names too
    url = f"{base}/{made.json()['id']}"
    renamed = await client.patch(url, json={"name": "Resellers"}, headers={"If-Match": made.headers["etag"]})
    assert renamed.status_code == 200 and renamed.json()["names"] == {}  # "साझेदार" named the old text
    translated = await client.patch(
        url, json={"names": {"hi": "पुनर्विक्रेता"}}, headers={"If-Match": renamed.headers["etag"]}
    )
    assert translated.json()["names"] == {"hi": "पुनर्विक्रेता"} and translated.json()["base_name"] == "Resellers"


async def test_permission_isolation_and_form_errors(client, make_tenant) -> None:
    one, other = await make_tenant(), await make_tenant()
    admin, seller = await make_member(one), await make_member(one, "sales")
    other_admin = await make_member(other)
    async with acting_in(other, other_admin):  # ids that exist only in the other tenant
        theirs = await pipelines.create_pipeline("Theirs")
    async with acting_in(one, admin):
        mine = await default_pipeline()
    assert theirs is not None and mine is not None
    await sign_in(client, seller)
    url = f"/t/{one.slug}/admin/pipelines/{mine.id}"
    assert (await client.get(url)).status_code == 403
    await sign_in(client, admin)
    form = {"_action": "update_stage", "stage_id": str(theirs.stages[0].id), "version": str(mine.version),
            "name": "X", "names.hi": "Y"}  # fmt: skip
    assert (await post_form(client, url, url, form)).status_code == 404
    assert (await client.get(f"/t/{one.slug}/admin/pipelines/{theirs.id}")).status_code == 404
    too_long = {**form, "stage_id": str(mine.stages[0].id), "names.hi": "ज" * 101}
    refused = await post_form(client, url, url, too_long)
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.text
    async with acting_in(one, admin):
        assert (await default_pipeline()).stages[0].names["hi"] == HINDI_QUALIFICATION  # nothing saved
