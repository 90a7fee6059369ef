"""A team's default pipeline: validated and audited on the team form and API, and where its members' board, new-deal
form and API-created deals start; members without one (or whose pipeline was deleted) get the tenant's default."""

from __future__ import annotations

import re

from sampark.platform.tenancy.context import tenant_connection, tenant_context
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.pipelines.queries import default_pipeline
from sampark.tenants.pipelines.services import create_pipeline
from tests.support.web import acting_in, api_session, csrf_token, make_member, sign_in


async def _pipelines(tenant, admin):
    """The seeded default pipeline and a second one whose name is translated for English readers."""
    async with acting_in(tenant, admin):
        seeded = await default_pipeline()
        partners = await create_pipeline("Partners", {"en": "Partner channel"})
    assert seeded is not None
    return seeded, partners


async def _team_audit(tenant) -> list[dict]:
    async with tenant_context(slug=tenant.slug):
        query = AuditEntry.select(AuditEntry.action, AuditEntry.changes).where(
            AuditEntry.object_type == "team"
        )
        return await query.order_by(AuditEntry.id).output(load_json=True)


def _selected(page_text: str, select_id: str) -> str:
    """The value of the selected option of one ``<select>`` on a page."""
    block = page_text.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    match = re.search(r'<option value="(\d*)"\s*selected', block)
    return match.group(1) if match else ""


async def test_the_team_form_validates_audits_and_lists_the_pipeline(client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    _seeded, partners = await _pipelines(tenant, admin)
    await sign_in(client, admin)
    new = f"/t/{tenant.slug}/admin/teams/new"
    page = await client.get(new)
    assert _selected(page.text, "default_pipeline_id") == ""  # "Workspace default"
    assert "Partner channel" in page.text  # pipeline names follow the tenant-text rule
    for bad_value in ("999999", "abc", "99999999999999999999"):
        bad = await client.post(
            new, data={"name": "North", "default_pipeline_id": bad_value, "_csrf_token": csrf_token(page)}
        )
        assert bad.status_code == 400, bad_value
        assert 'id="default_pipeline_id-error"' in bad.text
        assert "Choose a pipeline from the list." in bad.text
    created = await client.post(
        new,
        data={"name": "North", "default_pipeline_id": str(partners.id), "_csrf_token": csrf_token(page)},
    )
    assert created.status_code == 303
    listing = await client.get(f"/t/{tenant.slug}/admin/teams/")
    assert "Partner channel" in listing.text
    [team] = (await client.get(f"/t/{tenant.slug}/api/v1/teams/")).json()["items"]
    assert team["default_pipeline_id"] == partners.id
    edit = await client.get(f"/t/{tenant.slug}/admin/teams/{team['id']}")
    assert _selected(edit.text, "default_pipeline_id") == str(partners.id)
    cleared = await client.post(
        f"/t/{tenant.slug}/admin/teams/{team['id']}",
        data={"name": "North", "default_pipeline_id": "", "_csrf_token": csrf_token(edit)},
    )
    assert cleared.status_code == 303
    create, update = await _team_audit(tenant)
    assert create["changes"]["default_pipeline_id"] == {"before": None, "after": partners.id}
    assert update["changes"]["default_pipeline_id"] == {"before": partners.id, "after": None}


async def test_the_team_api_validates_the_pipeline(client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    _seeded, partners = await _pipelines(tenant, admin)
    await api_session(client, tenant, admin)
    base = f"/t/{tenant.slug}/api/v1/teams/"
    for bad_value in (999999, "2", True):
        bad = await client.post(base, json={"name": "South", "default_pipeline_id": bad_value})
        assert bad.status_code == 422, bad_value
        assert bad.json()["error"]["code"] == "validation_failed"
        assert "default_pipeline_id" in bad.json()["error"]["details"]["fields"]
    made = await client.post(base, json={"name": "South", "default_pipeline_id": partners.id})
    assert made.status_code in (200, 201) and made.json()["default_pipeline_id"] == partners.id
    kept = await client.patch(f"{base}{made.json()['id']}", json={"default_currency": "EUR"})
    assert kept.json()["default_pipeline_id"] == partners.id  # left out: unchanged
    cleared = await client.patch(f"{base}{made.json()['id']}", json={"default_pipeline_id": None})
    assert cleared.status_code == 200 and cleared.json()["default_pipeline_id"] is None


async def test_members_start_in_their_first_team_pipeline_else_the_tenant_default(client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    seller, loner = await make_member(tenant, "sales"), await make_member(tenant, "sales")
    seeded, partners = await _pipelines(tenant, admin)
    await api_session(client, tenant, admin)
    teams = f"/t/{tenant.slug}/api/v1/teams/"
    # The seller's first team (lowest id) names no pipeline, so the second one's pipeline applies.
    first = await client.post(teams, json={"name": "All hands", "member_ids": [seller.id, loner.id]})
    second = await client.post(
        teams, json={"name": "Partners desk", "member_ids": [seller.id], "default_pipeline_id": partners.id}
    )
    assert first.status_code in (200, 201) and second.status_code in (200, 201)

    expected = {seller: partners, loner: seeded}
    for member, pipeline in expected.items():
        await api_session(client, tenant, member)
        board = await client.get(f"/t/{tenant.slug}/deals/board")
        assert board.status_code == 200
        assert _selected(board.text, "board-pipeline") == str(pipeline.id)
        other = seeded if pipeline is partners else partners
        chosen = await client.get(f"/t/{tenant.slug}/deals/board?pipeline={other.id}")
        assert _selected(chosen.text, "board-pipeline") == str(other.id)  # ?pipeline= still wins
        form = await client.get(f"/t/{tenant.slug}/deals/new")
        first_open = pipeline.first_of("open")
        assert first_open is not None
        assert _selected(form.text, "stage_id") == str(first_open.id)
        made = await client.post(f"/t/{tenant.slug}/api/v1/deals/", json={"name": "Start", "amount": "5"})
        assert made.status_code == 201, made.text
        assert (made.json()["pipeline_id"], made.json()["stage_id"]) == (pipeline.id, first_open.id)
        explicit = await client.post(
            f"/t/{tenant.slug}/api/v1/deals/", json={"name": "Other", "pipeline_id": other.id}
        )
        assert explicit.status_code == 201 and explicit.json()["pipeline_id"] == other.id
        # A stage alone names its pipeline, whatever the member's default (the lead conversion form sends it).
        other_stage = other.first_of("open")
        assert other_stage is not None
        staged = await client.post(
            f"/t/{tenant.slug}/api/v1/deals/", json={"name": "Staged", "stage_id": other_stage.id}
        )
        assert staged.status_code == 201, staged.text
        assert (staged.json()["pipeline_id"], staged.json()["stage_id"]) == (other.id, other_stage.id)
        unknown = await client.post(f"/t/{tenant.slug}/api/v1/deals/", json={"name": "X", "stage_id": 10**12})
        assert unknown.status_code == 422 and "stage_id" in unknown.json()["error"]["details"]


async def test_deleting_a_team_pipeline_falls_back_to_the_tenant_default(client, tenant) -> None:
    admin, seller = await make_member(tenant, "admin"), await make_member(tenant, "sales")
    seeded, partners = await _pipelines(tenant, admin)
    await api_session(client, tenant, admin)
    made = await client.post(
        f"/t/{tenant.slug}/api/v1/teams/",
        json={"name": "Desk", "member_ids": [seller.id], "default_pipeline_id": partners.id},
    )
    assert made.status_code in (200, 201)
    # Sampark has no pipeline deletion yet; the foreign key decides what one will do (ON DELETE SET NULL).
    async with tenant_context(slug=tenant.slug):
        await tenant_connection().execute("DELETE FROM pipelines WHERE id = $1", partners.id)
    team = (await client.get(f"/t/{tenant.slug}/api/v1/teams/{made.json()['id']}")).json()
    assert team["default_pipeline_id"] is None
    await api_session(client, tenant, seller)
    board = await client.get(f"/t/{tenant.slug}/deals/board")
    assert _selected(board.text, "board-pipeline") == str(seeded.id)
    deal = await client.post(f"/t/{tenant.slug}/api/v1/deals/", json={"name": "After", "amount": "1"})
    assert deal.status_code == 201 and deal.json()["pipeline_id"] == seeded.id
