"""The custom-field admin pages: add, edit, reorder, archive, delete with confirmation; who may; isolation."""

from tests.integration.customfields.helpers import TIER, add_field
from tests.support.web import make_member, post_form, sign_in


async def test_admin_adds_edits_archives_and_deletes_a_field(client, tenant) -> None:
    admin = await make_member(tenant)
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/admin/fields/"
    form_url = f"{base}new?object=contacts"
    refused = await post_form(
        client,
        form_url,
        f"{base}new",
        {"object": "contacts", "key": "Bad key", "type": "select", "label": ""},
    )
    assert refused.status_code == 400
    assert (
        'id="key-error"' in refused.text
        and 'id="label-error"' in refused.text
        and 'id="options-error"' in refused.text
    )
    made = await post_form(
        client, form_url, f"{base}new",
        {"object": "contacts", "key": "tier", "type": "select", "label": "<script>alert(1)</script>",
         "labels-de": "Stufe", "options": "gold = Gold\nsilver = Silver", "options-de": "gold = Gold-DE", "required": "1"},
    )  # fmt: skip
    assert made.status_code == 303, made.text
    page = await client.get(base)
    assert (
        "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    )
    assert f'href="/t/{tenant.slug}/admin/fields/"' in page.text  # the admin navigation links here
    field_id = int(page.text.split('id="field-')[1].split('"')[0])

    edit_url = f"{base}{field_id}/edit"
    edit = await client.get(edit_url)
    assert "gold = Gold" in edit.text and "Stufe" in edit.text
    saved = await post_form(
        client,
        edit_url,
        edit_url,
        {"label": "Tier", "options": "gold = Gold\nsilver = Silver", "version": "1"},
    )
    assert saved.status_code == 303
    stale = await post_form(
        client, edit_url, edit_url, {"label": "Old", "options": "gold = Gold", "version": "1"}
    )
    assert stale.status_code == 409 and 'id="conflict"' in stale.text

    archived = await post_form(client, base, f"{base}{field_id}/archive", {"archived": "1", "version": "2"})
    assert archived.status_code == 303 and "Archived" in (await client.get(base)).text
    confirm = await client.get(f"{base}{field_id}/delete")
    assert confirm.status_code == 200 and "0 records hold a value" in confirm.text
    gone = await post_form(client, f"{base}{field_id}/delete", f"{base}{field_id}/delete", {"version": "3"})
    assert gone.status_code == 303 and "No custom fields yet." in (await client.get(base)).text


async def test_non_admins_cannot_manage_fields_and_other_tenants_ids_are_404(client, make_tenant) -> None:
    tenant, other = await make_tenant(), await make_tenant()
    field_id = await add_field(other, await make_member(other), **TIER)
    await sign_in(client, await make_member(tenant, "sales"))
    base = f"/t/{tenant.slug}/admin/fields/"
    assert (await client.get(base)).status_code == 403
    assert (await client.get(f"{base}new")).status_code == 403
    client.cookies.clear()
    await sign_in(client, await make_member(tenant))
    for path in (f"{field_id}/edit", f"{field_id}/delete"):
        assert (await client.get(f"{base}{path}")).status_code == 404, path
    response = await post_form(client, base, f"{base}{field_id}/archive", {"archived": "1", "version": "1"})
    assert response.status_code == 404
