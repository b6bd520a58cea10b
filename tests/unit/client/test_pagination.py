"""`paginate` / `apaginate` over a generated list operation, against a fake transport that
answers like the gateway: keyset pages of `limit` items, `startingAfter` for the next."""

from typing import Any

import httpx
import pytest
from stacknex_client import ApiError, AuthenticatedClient, apaginate, paginate
from stacknex_client.api.products import get_product, list_products

IDS = [f"prod_{n:022d}" for n in range(7)]


def product(product_id: str) -> dict[str, Any]:
    """A product exactly as the catalog answers it, so a typed model parses it too."""
    return {
        "id": product_id,
        "name": "Bagel",
        "sku": None,
        "description": None,
        "price": 4.99,
        "currency": "USD",
        "categoryId": None,
        "active": True,
        "trackInventory": True,
        "inventoryPolicy": "deny",
        "lowStockThreshold": None,
        "metadata": {},
        "version": 1,
        "createdAt": "2024-01-15T10:30:00Z",
        "updatedAt": "2024-01-15T10:30:00Z",
        "deletedAt": None,
    }


class Gateway:
    def __init__(self, *, fail_at: str | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.fail_at = fail_at

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert request.headers["Authorization"] == "Bearer nxp_test_key"
        limit = int(request.url.params.get("limit", 20))
        after = request.url.params.get("startingAfter")
        if after is not None and after == self.fail_at:
            error = {"code": "RATE_LIMITED", "message": "Slow down.", "details": {"n": 1}}
            return httpx.Response(
                429, json={"success": False, "error": error}, headers={"X-Request-Id": "req_1"}
            )
        start = IDS.index(after) + 1 if after else 0
        page = IDS[start : start + limit]
        more = start + limit < len(IDS)
        return httpx.Response(
            200,
            json={
                "success": True,
                "data": [product(i) for i in page],
                "pagination": {"hasMore": more, "nextCursor": page[-1] if more else None},
            },
        )


def client(gateway: Any) -> AuthenticatedClient:
    transport = httpx.MockTransport(gateway)
    return AuthenticatedClient(
        base_url="https://gateway.test", token="nxp_test_key", httpx_args={"transport": transport}
    )


def test_every_item_of_every_page_in_order_following_the_cursor() -> None:
    gateway = Gateway()
    items = list(paginate(list_products, client=client(gateway), limit=3, active=True))
    assert [item.to_dict()["id"] for item in items] == IDS
    assert [r.url.params.get("startingAfter") for r in gateway.requests] == [None, IDS[2], IDS[5]]
    assert all(
        r.url.params["limit"] == "3" and r.url.params["active"] == "true" for r in gateway.requests
    )


def test_sync_detailed_itself_and_a_starting_cursor_are_accepted() -> None:
    gateway = Gateway()
    items = list(
        paginate(list_products.sync_detailed, client=client(gateway), starting_after=IDS[3])
    )
    assert [item.to_dict()["id"] for item in items] == IDS[4:]
    assert len(gateway.requests) == 1


def test_an_error_envelope_raises_with_its_code_at_the_page_that_failed() -> None:
    gateway = Gateway(fail_at=IDS[1])
    seen = []
    with pytest.raises(ApiError) as raised:
        for item in paginate(list_products, client=client(gateway), limit=2):
            seen.append(item)
    assert len(seen) == 2
    assert (raised.value.status, raised.value.code) == (429, "RATE_LIMITED")
    assert raised.value.details == {"n": 1} and raised.value.request_id == "req_1"
    assert "Slow down." in str(raised.value)


def test_a_non_json_failure_is_an_api_error_too() -> None:
    def proxy(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>Bad gateway</html>")

    with pytest.raises(ApiError) as raised:
        list(paginate(list_products, client=client(proxy)))
    assert (raised.value.status, raised.value.code) == (502, "UNEXPECTED_RESPONSE")


def test_has_more_without_a_cursor_stops_with_an_error_not_a_loop() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        body = {"success": True, "data": [], "pagination": {"hasMore": True, "nextCursor": None}}
        return httpx.Response(200, json=body)

    with pytest.raises(ApiError, match="nextCursor"):
        list(paginate(list_products, client=client(broken)))


def test_an_operation_that_is_not_a_list_is_refused() -> None:
    with pytest.raises(TypeError, match="not a paginated list operation"):
        list(paginate(get_product, client=client(Gateway())))


async def test_apaginate_follows_the_same_cursor() -> None:
    gateway = Gateway()
    items = [item async for item in apaginate(list_products, client=client(gateway), limit=4)]
    assert [item.to_dict()["id"] for item in items] == IDS
    assert len(gateway.requests) == 2
