"""The contact JSON API: CRUD, ETag/If-Match, errors as JSON with stable codes, duplicates, lists."""

import json

from tests.support.web import api_session, make_member


async def _api(client, tenant):
    await api_session(client, tenant, await make_member(tenant))
    return f"/t/{tenant.slug}/api/v1/contacts"


async def test_create_get_patch_delete_with_etags(client, make_tenant) -> None:
    tenant = await make_tenant(region="UK")
    api = await _api(client, tenant)
    created = await client.post(
        f"{api}/",
        json={"first_name": "Olivia", "emails": ["Olivia@Example.co.uk"],
              "phones": [{"number": "07700 900123", "label": "mobile"}], "tags": ["VIP"], "time_zone": "Europe/London"},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["phones"] == [{"number": "+447700900123", "label": "mobile"}]  # the tenant region's country
    assert body["emails"] == ["olivia@example.co.uk"] and body["tags"] == ["vip"]
    assert created.headers["etag"] == '"v1"' and created.headers["location"] == f"{api}/{body['id']}"
    url = f"{api}/{body['id']}"

    got = await client.get(url)
    assert got.headers["etag"] == '"v1"' and got.json()["display_name"] == "Olivia"
    assert (await client.get(url, headers={"If-None-Match": '"v1"'})).status_code == 304

    missing = await client.patch(url, json={"last_name": "Brown"})
    assert missing.status_code == 428 and missing.json()["error"]["code"] == "precondition_required"
    patched = await client.patch(url, json={"last_name": "Brown"}, headers={"If-Match": '"v1"'})
    assert patched.status_code == 200 and patched.headers["etag"] == '"v2"'
    assert patched.json()["last_name"] == "Brown" and patched.json()["emails"] == ["olivia@example.co.uk"]
    stale = await client.patch(url, json={"last_name": "Green"}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition_failed"
    assert stale.headers["etag"] == '"v2"'
    assert (await client.get(url)).json()["last_name"] == "Brown"

    assert (await client.delete(url)).status_code == 428
    assert (await client.delete(url, headers={"If-Match": '"v1"'})).status_code == 412
    assert (await client.delete(url, headers={"If-Match": '"v2"'})).status_code == 204
    assert (await client.get(url)).status_code == 404


async def test_invalid_fields_answer_422_with_details(client, tenant) -> None:
    api = await _api(client, tenant)
    response = await client.post(
        f"{api}/",
        json={"first_name": "", "emails": ["ok@example.com", "broken@"], "phones": [{"number": "12"}],
              "lifecycle_stage": "emperor"},
    )  # fmt: skip
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert set(error["details"]) == {"first_name", "emails.1", "phones.0", "lifecycle_stage"}
    # A national number in an EU tenant (no default country) says what to add.
    eu = await client.post(f"{api}/", json={"first_name": "Lukas", "phones": [{"number": "030 1234567"}]})
    assert eu.status_code == 422 and "country" in eu.json()["error"]["details"]["phones.0"]
    de = await client.post(
        f"{api}/", json={"first_name": "Lukas", "phones": [{"number": "030 1234567"}], "phone_region": "DE"}
    )
    assert de.status_code == 201 and de.json()["phone"] == "+49301234567"


async def test_bad_bodies_never_answer_500(client, tenant) -> None:
    api = await _api(client, tenant)
    wrong_type = await client.post(f"{api}/", json={"first_name": 42})
    assert wrong_type.status_code == 400 and wrong_type.json()["error"]["code"] == "bad_request"
    assert "first_name" in wrong_type.json()["error"]["details"]
    unknown = await client.post(f"{api}/", json={"first_name": "A", "is_admin": True})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "bad_request"
    broken = await client.post(
        f"{api}/", content=b'{"first_name": ', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400 and "error" in broken.json()
    huge = json.dumps({"first_name": "A", "last_name": "x" * (1024 * 1024 + 10)})
    too_large = await client.post(f"{api}/", content=huge, headers={"content-type": "application/json"})
    assert too_large.status_code == 413
    assert too_large.json()["error"]["code"] == "payload_too_large"
    long_name = await client.post(f"{api}/", json={"first_name": "x" * 5000})
    assert long_name.status_code == 422


async def test_duplicates_answer_409_unless_allowed(client, tenant) -> None:
    api = await _api(client, tenant)
    first = (
        await client.post(f"{api}/", json={"first_name": "Wei", "phones": [{"number": "+86 138 0013 8000"}]})
    ).json()
    again = await client.post(
        f"{api}/", json={"first_name": "Wei Z", "phones": [{"number": "+8613800138000"}]}
    )
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "duplicate" and error["details"]["matches"][0]["id"] == first["id"]
    allowed = await client.post(
        f"{api}/",
        params={"allow_duplicate": "true"},
        json={"first_name": "Wei Z", "phones": [{"number": "+8613800138000"}]},
    )
    assert allowed.status_code == 201


async def test_list_filters_sort_cursor_and_unknown_fields(client, tenant) -> None:
    api = await _api(client, tenant)
    for index in range(7):
        await client.post(
            f"{api}/",
            json={"first_name": f"P{index}", "emails": [f"p{index}@example.com"],
                  "lifecycle_stage": "customer" if index < 3 else "lead"},
        )  # fmt: skip
    page = (await client.get(f"{api}/", params={"limit": 5, "sort": "-created_at"})).json()
    rest = (
        await client.get(f"{api}/", params={"limit": 5, "sort": "-created_at", "cursor": page["next_cursor"]})
    ).json()
    assert [item["first_name"] for item in page["items"] + rest["items"]] == [
        f"P{i}" for i in range(6, -1, -1)
    ]
    assert rest["next_cursor"] is None
    customers = (await client.get(f"{api}/", params={"lifecycle_stage": "customer"})).json()
    assert [item["first_name"] for item in customers["items"]] == ["P0", "P1", "P2"]
    exact = (await client.get(f"{api}/", params={"email": "P4@example.com"})).json()
    assert [item["first_name"] for item in exact["items"]] == ["P4"]
    unknown = await client.get(f"{api}/", params={"password_hash": "x"})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_filter"
    assert "password_hash" in unknown.json()["error"]["details"]
    bad_sort = await client.get(f"{api}/", params={"sort": "owner_id"})
    assert bad_sort.status_code == 400 and bad_sort.json()["error"]["code"] == "unknown_sort"
    bad_cursor = await client.get(f"{api}/", params={"cursor": "eyJ4IjoxfQ"})
    assert bad_cursor.status_code == 400 and bad_cursor.json()["error"]["code"] == "invalid_cursor"
    bad_stage = await client.get(f"{api}/", params={"lifecycle_stage": "boss"})
    assert bad_stage.status_code == 400 and bad_stage.json()["error"]["code"] == "invalid_filter"


async def test_the_api_is_documented_in_openapi(client, tenant) -> None:
    schema = (await client.get("/api/schema/openapi.json")).json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/t/{slug}/api/v1/contacts"])
    assert {"get", "patch", "delete"} <= set(paths["/t/{slug}/api/v1/contacts/{contact_id}"])
    assert {"get", "post"} <= set(paths["/t/{slug}/api/v1/companies"])
    patch_headers = [
        p["name"] for p in paths["/t/{slug}/api/v1/contacts/{contact_id}"]["patch"]["parameters"]
    ]
    assert "If-Match" in patch_headers
    assert "ContactCreate" in json.dumps(schema["components"])
