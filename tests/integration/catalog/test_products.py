"""Products through the catalog API: every endpoint, filter and validation rule."""

import asyncio
from typing import Any

import pytest

from tests.integration.catalog.conftest import Caller

P = "/api/v1/products"


async def _product(caller: Caller, **fields: Any) -> dict[str, Any]:
    status, body, _ = await caller.call("POST", P, {"name": "Cola", "price": 4.99, **fields})
    assert status == 201, body
    return body["data"]  # type: ignore[no-any-return]


async def test_create_get_and_defaults(caller: Caller) -> None:
    status, body, response = await caller.call("POST", P, {"name": "Cola", "price": 4.99})
    assert status == 201
    product = body["data"]
    assert product["id"].startswith("prod_")
    assert response.headers["Location"] == f"{P}/{product['id']}"
    assert response.headers["ETag"] == '"1"'
    assert {
        k: product[k]
        for k in (
            "price",
            "currency",
            "active",
            "trackInventory",
            "inventoryPolicy",
            "lowStockThreshold",
            "metadata",
            "version",
            "sku",
            "categoryId",
            "description",
        )
    } == {
        "price": 4.99,
        "currency": "USD",
        "active": True,
        "trackInventory": True,
        "inventoryPolicy": "deny",
        "lowStockThreshold": None,
        "metadata": {},
        "version": 1,
        "sku": None,
        "categoryId": None,
        "description": None,
    }
    assert product["createdAt"].endswith("Z") and product["createdAt"] == product["updatedAt"]
    status, body, response = await caller.call("GET", f"{P}/{product['id']}")
    assert status == 200 and body["data"] == product and response.headers["ETag"] == '"1"'


async def test_money_keeps_its_exact_decimal_value(caller: Caller) -> None:
    cheap = await _product(caller, price=0.1)
    assert cheap["price"] == 0.1
    _, body, _ = await caller.call("PATCH", f"{P}/{cheap['id']}", {"price": 0.3})
    assert body["data"]["price"] == 0.3  # not 0.30000000000000004
    top = await _product(caller, price=9999999999.99, currency="eur")
    assert top["price"] == 9999999999.99 and top["currency"] == "EUR"
    assert (await _product(caller, price=0))["price"] == 0
    assert (await _product(caller, price=100))["price"] == 100


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price": 1}, "name"),
        ({"name": "", "price": 1}, "name"),
        ({"name": "x" * 201, "price": 1}, "name"),
        ({"name": "Cola"}, "price"),
        ({"name": "Cola", "price": "4.99"}, "price"),
        ({"name": "Cola", "price": 4.999}, "price"),
        ({"name": "Cola", "price": -0.01}, "price"),
        ({"name": "Cola", "price": 10000000000}, "price"),
        ({"name": "Cola", "price": True}, "price"),
        ({"name": "Cola", "price": 1, "currency": "XYZ"}, "currency"),
        ({"name": "Cola", "price": 1, "sku": "s" * 101}, "sku"),
        ({"name": "Cola", "price": 1, "categoryId": "prod_0354xIPEOJKu0fmmxXMXnj"}, "categoryId"),
        ({"name": "Cola", "price": 1, "inventoryPolicy": "sometimes"}, "inventoryPolicy"),
        ({"name": "Cola", "price": 1, "lowStockThreshold": -1}, "lowStockThreshold"),
        ({"name": "Cola", "price": 1, "lowStockThreshold": 2.5}, "lowStockThreshold"),
        ({"name": "Cola", "price": 1, "active": "yes"}, "active"),
        ({"name": "Cola", "price": 1, "metadata": {"k": 1}}, "metadata"),
        ({"name": "Cola", "price": 1, "metadata": {f"k{i}": "v" for i in range(51)}}, "metadata"),
        ({"name": "Cola", "price": 1, "colour": "red"}, "colour"),
    ],
)
async def test_validation_errors_name_their_field(
    caller: Caller, body: dict[str, Any], field: str
) -> None:
    status, response, _ = await caller.call("POST", P, body)
    assert status == 400
    assert response["error"]["code"] == "VALIDATION_ERROR"
    assert response["error"]["details"]["field"] == field
    assert field in response["error"]["message"]


async def test_malformed_ids_say_what_was_expected(caller: Caller) -> None:
    status, body, _ = await caller.call("POST", P, {"name": "C", "price": 1, "categoryId": "x"})
    assert body["error"]["details"]["expected"] == "cat_ ID"
    status, body, _ = await caller.call("GET", f"{P}/ord_0354xIPEOJKu0fmmxXMXnj")
    assert status == 400
    assert body["error"]["details"] == {"field": "id", "expected": "prod_ ID"}
    assert body["error"]["message"] == "Invalid product ID format."


async def test_bodies_must_be_json_objects(caller: Caller) -> None:
    status, body, _ = await caller.call(
        "POST", P, raw=b'{"name": "Cola", ', headers={"Content-Type": "application/json"}
    )
    assert (status, body["error"]["code"], body["error"]["details"]["field"]) == (
        400,
        "VALIDATION_ERROR",
        "body",
    )
    status, body, _ = await caller.call(
        "POST", P, raw=b"[1, 2]", headers={"Content-Type": "application/json"}
    )
    assert status == 400 and body["error"]["details"]["field"] == "body"
    status, body, _ = await caller.call(
        "POST", P, raw=b"name=Cola", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert (status, body["error"]["code"]) == (415, "UNSUPPORTED_MEDIA_TYPE")


async def test_an_unknown_category_is_a_404_naming_the_field(caller: Caller) -> None:
    status, body, _ = await caller.call(
        "POST", P, {"name": "C", "price": 1, "categoryId": "cat_0354xIP8J6xD8yAYE3E6JV"}
    )
    assert (status, body["error"]["details"]["field"]) == (404, "categoryId")


async def test_put_replaces_and_patch_changes_only_what_is_given(caller: Caller) -> None:
    product = await _product(
        caller, sku="C-1", description="Fizzy", lowStockThreshold=3, metadata={"aisle": "4"}
    )
    status, body, response = await caller.call(
        "PATCH", f"{P}/{product['id']}", {"description": None, "price": 5.49}
    )
    patched = body["data"]
    assert status == 200 and response.headers["ETag"] == '"2"'
    assert (patched["description"], patched["price"], patched["sku"], patched["metadata"]) == (
        None,
        5.49,
        "C-1",
        {"aisle": "4"},
    )
    status, body, _ = await caller.call(
        "PUT", f"{P}/{product['id']}", {"name": "Cola Zero", "price": 5.49}
    )
    replaced = body["data"]
    assert (
        replaced["name"],
        replaced["sku"],
        replaced["lowStockThreshold"],
        replaced["metadata"],
        replaced["version"],
    ) == ("Cola Zero", None, None, {}, 3)
    status, body, _ = await caller.call("PATCH", f"{P}/{product['id']}", {"name": None})
    assert (status, body["error"]["details"]["field"]) == (400, "name")
    status, body, _ = await caller.call("PUT", f"{P}/{product['id']}", {"name": "No price"})
    assert (status, body["error"]["details"]["field"]) == (400, "price")


async def test_a_patch_that_changes_nothing_keeps_the_version(caller: Caller) -> None:
    product = await _product(caller, sku="SAME")
    status, body, _ = await caller.call("PATCH", f"{P}/{product['id']}", {"sku": "SAME"})
    assert status == 200 and body["data"]["version"] == 1


async def test_sku_is_unique_per_organization_and_mode_among_live_products(
    caller: Caller, stranger: Caller
) -> None:
    first = await _product(caller, sku="DUP")
    status, body, _ = await caller.call("POST", P, {"name": "Other", "price": 1, "sku": "DUP"})
    assert (status, body["error"]["code"], body["error"]["details"]) == (
        409,
        "CONFLICT",
        {"field": "sku"},
    )
    other = await _product(caller, sku="OTHER")
    status, body, _ = await caller.call("PATCH", f"{P}/{other['id']}", {"sku": "DUP"})
    assert (status, body["error"]["details"]) == (409, {"field": "sku"})
    await _product(caller.other_mode(), sku="DUP")  # the sandbox is a data set of its own
    await _product(stranger, sku="DUP")
    assert (await caller.call("DELETE", f"{P}/{first['id']}"))[0] == 200
    await _product(caller, sku="DUP")  # a deleted product's SKU is free again


async def test_delete_is_soft_and_keeps_the_history(caller: Caller) -> None:
    product = await _product(caller)
    await caller.call("PATCH", f"{P}/{product['id']}", {"price": 1.25})
    status, body, _ = await caller.call("DELETE", f"{P}/{product['id']}")
    assert (status, body["data"]) == (200, {"id": product["id"], "deleted": True})
    assert (await caller.call("GET", f"{P}/{product['id']}"))[0] == 404
    assert (await caller.call("PATCH", f"{P}/{product['id']}", {"price": 2}))[0] == 404
    assert (await caller.call("DELETE", f"{P}/{product['id']}"))[0] == 404
    _, listed, _ = await caller.call("GET", P)
    assert product["id"] not in [p["id"] for p in listed["data"]]
    status, body, _ = await caller.call("GET", f"{P}/{product['id']}/events")
    assert status == 200
    events = body["data"]
    assert [e["event"] for e in events] == ["product.created", "product.updated", "product.deleted"]
    assert events[1]["changedFields"] == ["price"] and events[1]["data"]["price"] == 1.25
    assert events[2]["data"]["deletedAt"].endswith("Z")
    assert all(
        e["organizationId"] == caller.organization_id and e["mode"] == "live" for e in events
    )
    _, page, _ = await caller.call("GET", f"{P}/{product['id']}/events?limit=2")
    assert page["pagination"]["hasMore"] is True
    _, rest, _ = await caller.call(
        "GET", f"{P}/{product['id']}/events?startingAfter={page['pagination']['nextCursor']}"
    )
    assert [e["id"] for e in page["data"] + rest["data"]] == [e["id"] for e in events]


async def test_other_organizations_and_modes_get_404_everywhere(
    caller: Caller, stranger: Caller
) -> None:
    product = await _product(caller)
    for outsider in (stranger, caller.other_mode()):
        for method, path, body in (
            ("GET", f"{P}/{product['id']}", None),
            ("PATCH", f"{P}/{product['id']}", {"price": 1}),
            ("PUT", f"{P}/{product['id']}", {"name": "x", "price": 1}),
            ("DELETE", f"{P}/{product['id']}", None),
            ("GET", f"{P}/{product['id']}/events", None),
        ):
            status, response, _ = await outsider.call(method, path, body)
            assert (status, response["error"]["code"]) == (404, "NOT_FOUND"), (method, path)
        _, listed, _ = await outsider.call("GET", P)
        assert listed["data"] == []


async def test_list_filters(caller: Caller) -> None:
    _, drinks, _ = await caller.call("POST", "/api/v1/categories", {"name": "Drinks"})
    drink = drinks["data"]["id"]
    cola = await _product(caller, name="Cola Classic", categoryId=drink, sku="COLA")
    water = await _product(caller, name="Still Water", categoryId=drink, active=False)
    crisps = await _product(caller, name="Salted crisps_100%", sku="CR")
    _, everything, _ = await caller.call("GET", P)
    assert [p["id"] for p in everything["data"]] == [crisps["id"], water["id"], cola["id"]]

    async def ids(query: str) -> list[str]:
        status, body, _ = await caller.call("GET", f"{P}?{query}")
        assert status == 200, body
        return [p["id"] for p in body["data"]]

    assert await ids(f"categoryId={drink}") == [water["id"], cola["id"]]
    assert await ids("active=false") == [water["id"]]
    assert await ids("active=true") == [crisps["id"], cola["id"]]
    assert await ids("sku=COLA") == [cola["id"]]
    assert await ids("q=cola") == [cola["id"]]
    assert await ids("q=WATER") == [water["id"]]
    assert await ids("q=_100%25") == [crisps["id"]]  # LIKE wildcards are literal
    assert await ids("q=a_") == []  # as a wildcard it would match "Salted" and "Cola"
    after = water["createdAt"].replace("Z", "+00:00")
    assert await ids(f"createdAfter={after.replace('+', '%2B')}") == [crisps["id"]]
    assert await ids(f"createdBefore={after.replace('+', '%2B')}") == [cola["id"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("startingAfter=cat_0354xIP8J6xD8yAYE3E6JV", "startingAfter"),
        ("categoryId=42", "categoryId"),
        ("active=perhaps", "active"),
        ("createdAfter=yesterday", "createdAfter"),
        ("colour=red", "colour"),
    ],
)
async def test_bad_list_parameters_are_400s_naming_them(
    caller: Caller, query: str, field: str
) -> None:
    status, body, _ = await caller.call("GET", f"{P}?{query}")
    assert (status, body["error"]["details"]["field"]) == (400, field)


async def test_pages_never_repeat_or_skip_while_products_are_added(caller: Caller) -> None:
    original = [(await _product(caller, name=f"P{i}"))["id"] for i in range(25)]
    seen: list[str] = []
    cursor = None
    for page in range(3):
        query = "limit=10" + (f"&startingAfter={cursor}" if cursor else "")
        _, body, _ = await caller.call("GET", f"{P}?{query}")
        seen += [p["id"] for p in body["data"]]
        cursor = body["pagination"]["nextCursor"]
        assert body["pagination"]["hasMore"] is (page < 2)
        await asyncio.gather(*(_product(caller, name=f"new{page}.{i}") for i in range(4)))
    assert cursor is None
    assert seen == list(reversed(original))


async def test_nul_characters_are_refused_naming_the_field(caller: Caller) -> None:
    status, body, _ = await caller.call("POST", P, {"name": "Co\u0000la", "price": 1})
    assert (status, body["error"]["details"]["field"]) == (400, "name")
    status, body, _ = await caller.call(
        "POST", P, {"name": "C", "price": 1, "metadata": {"k": "v\u0000"}}
    )
    assert (status, body["error"]["details"]["field"]) == (400, "metadata.k")
    status, body, _ = await caller.call("GET", f"{P}?q=a%00b")
    assert (status, body["error"]["details"]["field"]) == (400, "q")
