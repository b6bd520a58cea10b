"""/api/v1/customers on the customer's model: the event carries the customer as GET shows
it, the read model is the model, and every customer has its own history."""

from typing import Any

from libs.contract.orders import CustomerRead
from tests.integration.catalog.conftest import Caller

C = "/api/v1/customers"


async def _customer(caller: Caller, **fields: Any) -> dict[str, Any]:
    status, body, response = await caller.call("POST", C, {"email": "ada@example.com", **fields})
    assert status == 201, body
    assert response.headers["Location"] == f"{C}/{body['data']['id']}"
    return body["data"]  # type: ignore[no-any-return]


async def test_a_customer_answers_as_its_model_everywhere(caller: Caller) -> None:
    created = await _customer(caller, firstName="Ada", phone="+44 20 7946 0000")
    assert created == {
        **created,
        "email": "ada@example.com",
        "firstName": "Ada",
        "lastName": None,
        "note": None,
        "metadata": {},
        "ordersCount": 0,
        "totalSpent": 0,
        "version": 1,
    }
    assert set(created) == {f.alias for f in CustomerRead.model_fields.values()}
    status, got, response = await caller.call("GET", f"{C}/{created['id']}")
    assert (status, got["data"], response.headers["ETag"]) == (200, created, '"1"')
    _, listed, _ = await caller.call("GET", f"{C}?email=ADA@example.com")
    assert listed["data"] == [created]
    _, history, _ = await caller.call("GET", f"{C}/{created['id']}/events")
    assert [e["data"] for e in history["data"]] == [created]


async def test_put_and_patch_change_fields_and_their_history_names_them(caller: Caller) -> None:
    customer = await _customer(caller, firstName="Ada", note="regular")
    path = f"{C}/{customer['id']}"
    status, patched, response = await caller.call("PATCH", path, {"lastName": "Lovelace"})
    assert (status, patched["data"]["lastName"]) == (200, "Lovelace")
    assert response.headers["ETag"] == '"2"'
    # PUT: the fields left out return to their defaults.
    status, put, _ = await caller.call("PUT", path, {"email": "ada@example.org", "version": 2})
    assert status == 200, put
    assert put["data"] == {
        **patched["data"],
        "email": "ada@example.org",
        "firstName": None,
        "lastName": None,
        "note": None,
        "version": 3,
        "updatedAt": put["data"]["updatedAt"],
    }
    same, _, _ = await caller.call("PATCH", path, {"email": "ada@example.org"})
    status, stale, _ = await caller.call("PATCH", path, {"note": "x", "version": 1})
    assert (same, status, stale["error"]["code"], stale["error"]["details"]) == (
        200,
        409,
        "VERSION_CONFLICT",
        {"currentVersion": 3},
    )
    status, body, _ = await caller.call("GET", f"{path}/events")
    assert status == 200
    events = body["data"]
    assert [e["event"] for e in events] == [
        "customer.created",
        "customer.updated",
        "customer.updated",
    ]
    assert events[1]["changedFields"] == ["lastName"]
    assert sorted(events[2]["changedFields"]) == ["email", "firstName", "lastName", "note"]
    assert events[2]["data"] == put["data"]
    _, page, _ = await caller.call("GET", f"{path}/events?limit=2")
    assert page["pagination"]["hasMore"] is True
    _, rest, _ = await caller.call(
        "GET", f"{path}/events?startingAfter={page['pagination']['nextCursor']}"
    )
    assert [e["id"] for e in page["data"] + rest["data"]] == [e["id"] for e in events]


async def test_a_taken_email_is_a_conflict_naming_it(caller: Caller, stranger: Caller) -> None:
    await _customer(caller)
    status, body, _ = await caller.call("POST", C, {"email": "ADA@example.com"})
    assert (status, body["error"]["code"], body["error"]["details"]) == (
        409,
        "CONFLICT",
        {"field": "email"},
    )
    other = await _customer(caller, email="grace@example.com")
    status, body, _ = await caller.call("PATCH", f"{C}/{other['id']}", {"email": "ada@example.com"})
    assert (status, body["error"]["details"]) == (409, {"field": "email"})
    await _customer(stranger)  # another organization's customers are its own
    await _customer(caller.other_mode())  # and so are the sandbox's


async def test_other_organizations_and_modes_get_404_everywhere(
    caller: Caller, stranger: Caller
) -> None:
    customer = await _customer(caller)
    path = f"{C}/{customer['id']}"
    for outsider in (stranger, caller.other_mode()):
        for method, url, body in (
            ("GET", path, None),
            ("PATCH", path, {"note": "x"}),
            ("PUT", path, {"email": "x@example.com"}),
            ("GET", f"{path}/events", None),
        ):
            status, response, _ = await outsider.call(method, url, body)
            assert (status, response["error"]["code"]) == (404, "NOT_FOUND"), (method, url)
        _, listed, _ = await outsider.call("GET", C)
        assert listed["data"] == []
    status, body, _ = await caller.call("GET", "/api/v1/customers/cus_nope/events")
    assert (status, body["error"]["details"]["field"]) == (400, "id")
    status, body, _ = await caller.call("GET", "/api/v1/orders/ord_0000000000000000000000/events")
    assert (status, body["error"]["code"]) == (404, "NOT_FOUND")


async def test_null_for_a_field_that_always_holds_a_value_is_refused(caller: Caller) -> None:
    customer = await _customer(caller)
    status, body, _ = await caller.call("PATCH", f"{C}/{customer['id']}", {"email": None})
    assert (status, body["error"]["details"]["field"]) == (400, "email")
    status, body, _ = await caller.call("PATCH", f"{C}/{customer['id']}", {"metadata": None})
    assert (status, body["error"]["details"]["field"]) == (400, "metadata")
