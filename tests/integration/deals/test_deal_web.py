"""Deal pages, the board and its move endpoint, the API, admin pipeline pages: validation, conflicts,
isolation (another tenant's ids answer 404), escaping."""

from __future__ import annotations

from sampark.tenants.deals.services import create_deal
from sampark.tenants.pipelines.queries import default_pipeline
from tests.support.web import acting_in, api_session, csrf_token, make_member, post_form, sign_in


async def _deal(tenant, member, name: str = "Deal", **fields):
    async with acting_in(tenant, member):
        pipeline = await default_pipeline()
        deal = await create_deal({"name": name, "amount": "100", **fields})
    assert pipeline is not None
    return deal, pipeline


async def test_pages_render_escape_and_the_form_validates(client, tenant) -> None:
    admin = await make_member(tenant)
    deal, pipeline = await _deal(tenant, admin, "<script>alert(1)</script>")
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/deals"
    for path in ("/", f"/{deal.id}", "/board", f"/board?pipeline={pipeline.id}", "/new", f"/{deal.id}/edit",
                 f"/{deal.id}/delete", f"/{deal.id}/close?outcome=lost"):  # fmt: skip
        page = await client.get(base + path)
        assert page.status_code == 200, (path, page.text[:500])
        assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (await client.get(f"{base}/board")).text
    bad = await post_form(
        client, f"{base}/new", f"{base}/new", {"name": "", "amount": "abc", "currency": "EUR"}
    )
    assert bad.status_code == 400 and 'id="amount-error"' in bad.text and 'id="name-error"' in bad.text
    made = await post_form(
        client, f"{base}/new", f"{base}/new", {"name": "Fine", "amount": "99.5", "currency": "EUR"}
    )
    assert made.status_code == 303
    stale = await post_form(
        client,
        f"{base}/{deal.id}/edit",
        f"{base}/{deal.id}/edit",
        {"name": "X", "amount": "1", "version": "99"},
    )
    assert stale.status_code == 409 and 'id="conflict"' in stale.text
    filtered = await client.get(f"{base}/?amount_min=abc")
    assert filtered.status_code == 400
    assert (await client.get(f"{base}/?bogus=1")).status_code == 400
    lost = await post_form(
        client, f"{base}/{deal.id}/close?outcome=lost", f"{base}/{deal.id}/close",
        {"outcome": "lost", "version": str(deal.version), "lost_reason": ""},
    )  # fmt: skip
    assert lost.status_code == 400
    admin_page = await client.get(f"/t/{tenant.slug}/admin/pipelines/{pipeline.id}")
    assert admin_page.status_code == 200 and "Needs analysis" in admin_page.text


async def test_board_move_endpoint(client, tenant) -> None:
    admin = await make_member(tenant)
    deal, pipeline = await _deal(tenant, admin)
    await sign_in(client, admin)
    board = await client.get(f"/t/{tenant.slug}/deals/board")
    token = csrf_token(board)
    target = pipeline.stages[2]
    moved = await client.post(
        f"/t/{tenant.slug}/deals/{deal.id}/move",
        data={"stage_id": str(target.id), "version": str(deal.version), "from_stage_id": str(deal.stage_id)},
        headers={"HX-Request": "true", "x-csrftoken": token},
    )
    assert moved.status_code == 200, moved.text
    assert f'id="deal-card-{deal.id}"' in moved.text and f'id="column-head-{target.id}"' in moved.text
    assert f'data-stage-id="{target.id}"' in moved.text
    stale = await client.post(
        f"/t/{tenant.slug}/deals/{deal.id}/move",
        data={"stage_id": str(pipeline.stages[1].id), "version": str(deal.version)},
        headers={"HX-Request": "true", "x-csrftoken": token},
    )
    assert stale.status_code == 409
    plain = await client.post(
        f"/t/{tenant.slug}/deals/{deal.id}/move",
        data={"stage_id": str(pipeline.stages[1].id), "version": str(deal.version + 1), "_csrf_token": token},
    )
    assert plain.status_code == 303
    page = await client.get(f"/t/{tenant.slug}/deals/{deal.id}")
    assert page.text.count("<li>") >= 3 or "stage-history" in page.text
    seller = await make_member(tenant, "read-only")
    client.cookies.clear()
    await sign_in(client, seller)
    token = csrf_token(await client.get(f"/t/{tenant.slug}/deals/board"))
    refused = await client.post(
        f"/t/{tenant.slug}/deals/{deal.id}/move",
        data={"stage_id": str(pipeline.stages[0].id), "version": str(deal.version + 2)},
        headers={"HX-Request": "true", "x-csrftoken": token},
    )
    assert refused.status_code == 403


async def test_api_and_isolation(client, make_tenant) -> None:
    tenant, other = await make_tenant(), await make_tenant()
    admin, stranger = await make_member(tenant), await make_member(other)
    for _ in range(3):  # ids are per tenant: theirs must be one this tenant does not have
        theirs, their_pipeline = await _deal(other, stranger)
    await api_session(client, tenant, admin)
    api = f"/t/{tenant.slug}/api/v1"
    created = await client.post(
        f"{api}/deals", json={"name": "API deal", "amount": "10.25", "currency": "USD"}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["amount"] == "10.250" and body["status"] == "open"
    etag = created.headers["etag"]
    assert (await client.patch(f"{api}/deals/{body['id']}", json={"name": "x"})).status_code == 428
    assert (
        await client.patch(f"{api}/deals/{body['id']}", json={"name": "x"}, headers={"If-Match": '"v9"'})
    ).status_code == 412
    bad = await client.post(f"{api}/deals", json={"name": "", "amount": "1", "currency": "ZZZ"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_failed"
    assert (await client.post(f"{api}/deals", json={"name": "a", "bogus": 1})).status_code == 400
    assert (await client.get(f"{api}/deals?bogus=1")).json()["error"]["code"] == "unknown_filter"
    pipelines = (await client.get(f"{api}/pipelines")).json()
    won = next(s for s in pipelines[0]["stages"] if s["kind"] == "won")
    moved = await client.post(
        f"{api}/deals/{body['id']}/stage", json={"stage_id": won["id"]}, headers={"If-Match": etag}
    )
    assert moved.status_code == 200 and moved.json()["status"] == "won"
    lost = await client.post(
        f"{api}/deals/{body['id']}/lost", json={"reason": "nope"}, headers={"If-Match": "*"}
    )
    assert lost.status_code == 422
    # Another tenant's ids answer 404 everywhere.
    for method, path, kwargs in (
        ("get", f"{api}/deals/{theirs.id}", {}),
        ("patch", f"{api}/deals/{theirs.id}", {"json": {"name": "x"}, "headers": {"If-Match": "*"}}),
        ("delete", f"{api}/deals/{theirs.id}", {"headers": {"If-Match": "*"}}),
        (
            "post",
            f"{api}/deals/{theirs.id}/stage",
            {"json": {"stage_id": theirs.stage_id}, "headers": {"If-Match": "*"}},
        ),
        ("get", f"{api}/pipelines/{their_pipeline.id + 1000}", {}),
    ):
        response = await getattr(client, method)(path, **kwargs)
        assert response.status_code == 404, (path, response.status_code)
    for path in (
        f"/{theirs.id}",
        f"/{theirs.id}/edit",
        f"/{theirs.id}/delete",
        f"/{theirs.id}/close?outcome=won",
    ):
        assert (await client.get(f"/t/{tenant.slug}/deals{path}")).status_code == 404, path
    assert (await client.get(f"{api}/deals?stage_id={theirs.stage_id}")).json()["items"] == []
