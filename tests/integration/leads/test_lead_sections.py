"""A lead's page shows its timeline, files and tasks like every other record page."""

from sampark.tenants.activities.services import create_activity
from sampark.tenants.leads.services import create_lead
from tests.support.web import acting_in, make_member, sign_in


async def test_the_lead_page_loads_its_timeline_files_and_tasks(client, tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        lead = await create_lead({"first_name": "Ann", "last_name": "Lee", "company_name": "Acme"})
        await create_activity("note", {"body": "Met at the <fair>"}, links=[f"lead:{lead.id}"])
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}"
    page = await client.get(f"{base}/leads/{lead.id}")
    assert page.status_code == 200
    assert f'hx-get="{base}/timeline/lead/{lead.id}"' in page.text
    assert f'hx-get="{base}/tasks/section?record_type=lead&amp;record_id={lead.id}"' in page.text
    assert f"{base}/files/?record_type=lead&amp;record_id={lead.id}" in page.text
    timeline = await client.get(f"{base}/timeline/lead/{lead.id}", headers={"HX-Request": "true"})
    assert timeline.status_code == 200 and "Met at the &lt;fair&gt;" in timeline.text
    for section in (f"{base}/tasks/section?record_type=lead&record_id={lead.id}",
                    f"{base}/files/?record_type=lead&record_id={lead.id}"):  # fmt: skip
        assert (await client.get(section, headers={"HX-Request": "true"})).status_code == 200, section
