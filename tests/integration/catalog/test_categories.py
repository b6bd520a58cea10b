"""Categories through the catalog API."""

from typing import Any

from tests.integration.catalog.conftest import Caller

C = "/api/v1/categories"


async def _category(caller: Caller, **fields: Any) -> dict[str, Any]:
    status, body, _ = await caller.call("POST", C, {"name": "Drinks", **fields})
    assert status == 201, body
    return body["data"]  # type: ignore[no-any-return]


async def test_create_get_patch_list(caller: Caller) -> None:
    drinks = await _category(caller, description="Cold ones")
    status, body, response = await caller.call("GET", f"{C}/{drinks['id']}")
    assert status == 200 and body["data"] == drinks and response.headers["ETag"] == '"1"'
    soft = await _category(caller, name="Soft drinks", parentId=drinks["id"])
    status, body, _ = await caller.call(
        "PATCH", f"{C}/{soft['id']}", {"name": "Sodas"}, headers={"If-Match": '"1"'}
    )
    assert (status, body["data"]["name"], body["data"]["version"]) == (200, "Sodas", 2)
    _, listed, _ = await caller.call("GET", C)
    assert [c["id"] for c in listed["data"]] == [soft["id"], drinks["id"]]
    _, children, _ = await caller.call("GET", f"{C}?parentId={drinks['id']}")
    assert [c["id"] for c in children["data"]] == [soft["id"]]
    _, found, _ = await caller.call("GET", f"{C}?q=soda")
    assert [c["id"] for c in found["data"]] == [soft["id"]]


async def test_names_are_unique_per_organization_and_mode(caller: Caller, stranger: Caller) -> None:
    await _category(caller, name="Snacks")
    status, body, _ = await caller.call("POST", C, {"name": "snacks"})
    assert (status, body["error"]["code"], body["error"]["details"]) == (
        409,
        "CONFLICT",
        {"field": "name"},
    )
    await _category(caller.other_mode(), name="Snacks")
    await _category(stranger, name="Snacks")


async def test_parents_must_exist_and_never_form_a_cycle(caller: Caller) -> None:
    top = await _category(caller, name="A")
    middle = await _category(caller, name="B", parentId=top["id"])
    bottom = await _category(caller, name="C", parentId=middle["id"])
    # A cycle conflicts with the tree as it is (409); a parent the caller does not have is
    # a 404 naming the field, as an unknown id in a path is (CONVENTIONS: Identifiers).
    status, body, _ = await caller.call("PATCH", f"{C}/{top['id']}", {"parentId": bottom["id"]})
    assert (status, body["error"]["details"]["field"]) == (409, "parentId")
    status, body, _ = await caller.call("PATCH", f"{C}/{top['id']}", {"parentId": top["id"]})
    assert (status, body["error"]["details"]["field"]) == (409, "parentId")
    status, body, _ = await caller.call(
        "POST", C, {"name": "D", "parentId": "cat_0354xIP8J6xD8yAYE3E6JV"}
    )
    assert (status, body["error"]["details"]["field"]) == (404, "parentId")
    status, body, _ = await caller.call("PATCH", f"{C}/{bottom['id']}", {"parentId": None})
    assert status == 200 and body["data"]["parentId"] is None


async def test_a_category_in_use_cannot_be_deleted(caller: Caller) -> None:
    drinks = await _category(caller)
    _, product, _ = await caller.call(
        "POST", "/api/v1/products", {"name": "Cola", "price": 1, "categoryId": drinks["id"]}
    )
    status, body, _ = await caller.call("DELETE", f"{C}/{drinks['id']}")
    assert (status, body["error"]["code"]) == (409, "CONFLICT")
    child = await _category(caller, name="Juice", parentId=drinks["id"])
    await caller.call("DELETE", f"/api/v1/products/{product['data']['id']}")
    assert (await caller.call("DELETE", f"{C}/{drinks['id']}"))[0] == 409  # the child
    assert (await caller.call("DELETE", f"{C}/{child['id']}"))[0] == 200
    assert (await caller.call("DELETE", f"{C}/{drinks['id']}"))[0] == 200
    assert (await caller.call("GET", f"{C}/{drinks['id']}"))[0] == 404
    await _category(caller)  # its name is free again


async def test_other_organizations_and_modes_get_404(caller: Caller, stranger: Caller) -> None:
    drinks = await _category(caller)
    for outsider in (stranger, caller.other_mode()):
        for method, body in (("GET", None), ("PATCH", {"name": "x"}), ("DELETE", None)):
            status, _, _ = await outsider.call(method, f"{C}/{drinks['id']}", body)
            assert status == 404
        status, body, _ = await outsider.call(
            "POST", "/api/v1/products", {"name": "x", "price": 1, "categoryId": drinks["id"]}
        )
        assert (status, body["error"]["details"]["field"]) == (404, "categoryId")


async def test_a_categorys_history_outlives_it_and_is_its_owners_alone(
    caller: Caller, stranger: Caller
) -> None:
    drinks = await _category(caller)
    await caller.call("PATCH", f"{C}/{drinks['id']}", {"description": "Cold ones"})
    await caller.call("DELETE", f"{C}/{drinks['id']}")
    status, body, _ = await caller.call("GET", f"{C}/{drinks['id']}/events")
    assert status == 200
    assert [e["event"] for e in body["data"]] == [
        "category.created",
        "category.updated",
        "category.deleted",
    ]
    assert body["data"][1]["changedFields"] == ["description"]
    assert body["data"][0]["data"]["name"] == "Drinks"
    assert body["data"][2]["data"]["deletedAt"] is not None
    for outsider in (stranger, caller.other_mode()):
        status, body, _ = await outsider.call("GET", f"{C}/{drinks['id']}/events")
        assert (status, body["error"]["code"]) == (404, "NOT_FOUND")
