"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS by `test_fuzz.py`) that make the
fuzzer reach the code behind every operation instead of the gateway's limits and 404s:

- **Fresh organizations.** The run moves to the next prepared organization every
  `CALLS_PER_ORG` calls, so no organization nears its hourly limit (enterprise: 10,000)
  and a 429 is a finding, not the norm.
- **Data created first.** Each organization comes with a world of real resources (a
  category, products with stock, a customer, locations, orders, a webhook endpoint with a
  delivery, events). Three in four generated ids in paths, queries and bodies are swapped
  for one of that world's ids of the right kind; the fourth stays random, so unknown ids
  are still tried. An id the API itself handed out (a stateful link follows a 201) is
  kept.
- **Writes run.** Every generated Idempotency-Key is made unique, so a write runs instead
  of replaying (or being refused as a reused key); an endpoint URL is always the seeded
  receiver's, and an order's products are always real ones (a sale of several lines would
  otherwise almost never name only real products).
- **Deletes delete something.** A DELETE is given a resource made for it just before,
  so deleting never empties the world the other operations read.
- **A report.** Every call's operation and status go to `STACKNEX_FUZZ_LOG`, one line
  each, for the test to count per operation and status.

The world file (`STACKNEX_FUZZ_WORLD`) is written by the test: a list of organizations,
each `{"key": ..., "ids": {"prod": [...], ...}, "deliveries": [[we, del], ...]}`.
"""

import json
import os
import threading
import zlib
from typing import Any

import requests
import schemathesis
from pydantic import TypeAdapter

from libs.contract.routes import OPERATIONS

CALLS_PER_ORG = 1_000
# Which kind of id each path segment, query parameter or body field names.
# The id kind of each collection, as the route table types its `{id}` (`prod_…`).
_COLLECTION = {
    op.path.split("/")[3]: TypeAdapter(op.params["id"]).json_schema()["pattern"][1:].split("_")[0]
    for op in OPERATIONS
    if "id" in op.params
}
_FIELD = {
    "productId": "prod",
    "categoryId": "cat",
    "parentId": "cat",
    "customerId": "cus",
    "locationId": "loc",
    "orderId": "ord",
    "deliveryId": "del",
    # An endpoint's URL must reach a real host: the seeded receiver's address stands in.
    "url": "url",
}
_MADE_FOR_DELETE = {
    "/api/v1/products/{id}": ("/api/v1/products", {"name": "To delete", "price": 1}),
    "/api/v1/categories/{id}": ("/api/v1/categories", {"name": "To delete"}),
    "/api/v1/webhooks/{id}": (
        "/api/v1/webhooks",
        {"url": "http://127.0.0.1:9/deleted", "events": ["*"]},
    ),
}

_lock = threading.Lock()
_calls = 0
_world: list[dict[str, Any]] = []
_handed_out: set[str] = set()  # ids of resources the run created
_http = requests.Session()


def _load() -> list[dict[str, Any]]:
    if not _world:
        with open(os.environ["STACKNEX_FUZZ_WORLD"]) as handle:
            _world.extend(json.load(handle))
    return _world


def _next_org() -> dict[str, Any]:
    global _calls
    world = _load()
    with _lock:
        _calls += 1
        return world[(_calls // CALLS_PER_ORG) % len(world)]


def _real(org: dict[str, Any], kind: str, value: Any) -> Any:
    """A real id of `kind` for three generated values in four; the value itself otherwise."""
    ids = org["ids"].get(kind)
    if not ids or not isinstance(value, str) or value in _handed_out:
        return value  # a value of another type is a negative case: it stays
    digest = zlib.crc32(repr(value).encode())
    # A URL must reach a real host (its host is resolved and checked against the allowed
    # networks), which no schema can say: it is always the seeded receiver's.
    if kind == "url":
        return ids[0]
    return value if digest % 4 == 0 else ids[digest % len(ids)]


def _swap_body(org: dict[str, Any], body: Any) -> Any:
    if isinstance(body, dict):
        return {
            name: _real(org, _FIELD[name], value) if name in _FIELD else _swap_body(org, value)
            for name, value in body.items()
        }
    if isinstance(body, list):
        return [_swap_body(org, value) for value in body]
    return body


def _made_for_delete(case: Any, org: dict[str, Any], base: str) -> str | None:
    made = _MADE_FOR_DELETE.get(case.operation.path)
    if made is None:
        return None
    collection, body = made
    response = _http.post(
        base + collection,
        json=body,
        headers={"Authorization": f"Bearer {org['key']}"},
        verify=False,
        timeout=30,
    )
    return str(response.json()["data"]["id"]) if response.status_code == 201 else None


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    org = _next_org()
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {org['key']}"}
    path = case.operation.path
    segments = path.strip("/").split("/")
    params = dict(case.path_parameters or {})
    if "id" in params:
        kind = _COLLECTION.get(segments[2], "")
        made = None
        if case.method.upper() == "DELETE" and zlib.crc32(repr(params["id"]).encode()) % 4:
            made = _made_for_delete(case, org, os.environ["STACKNEX_FUZZ_BASE"])
        if made is not None:
            params["id"] = made
        elif case.method.upper() != "DELETE":  # a DELETE never takes the world's resources
            params["id"] = _real(org, kind, params["id"])
    if "deliveryId" in params and org["deliveries"]:
        digest = zlib.crc32(repr(params["deliveryId"]).encode())
        if digest % 4:
            params["id"], params["deliveryId"] = org["deliveries"][digest % len(org["deliveries"])]
    if params:
        case.path_parameters = params
    if case.query:
        case.query = {
            name: _real(org, _FIELD[name], value) if name in _FIELD else value
            for name, value in case.query.items()
        }
    if isinstance(case.body, dict | list):
        case.body = _swap_body(org, case.body)
    if path.startswith("/api/v1/orders") and isinstance(case.body, dict):
        # Every line of a sale names a real product: with one in four left as generated, a
        # sale of several lines almost never would (unknown products: test_sales.py).
        products = org["ids"].get("prod", [])
        lines = case.body.get("items")
        if products and isinstance(lines, list):
            case.body = {
                **case.body,
                "items": [
                    {**line, "productId": products[zlib.crc32(repr(line).encode()) % len(products)]}
                    if isinstance(line, dict) and isinstance(line.get("productId"), str)
                    else line
                    for line in lines
                ],
            }
    if (
        path.startswith("/api/v1/categories/")
        and isinstance(case.body, dict)
        and "id" in params
        and case.body.get("parentId") == params["id"]
    ):
        # A category under itself is a conflict with the tree, not data the schema refuses:
        # the world's other category stands in.
        others = [c for c in org["ids"].get("cat", []) if c != params.get("id")]
        if others:
            case.body = {**case.body, "parentId": others[0]}
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and key:
        # Generated keys repeat (few short strings), so they would replay, or be refused as
        # reused with another body (a 422 for data the document allows): every one is made
        # unique, so the write runs. Replays and reuse are tested on their own
        # (tests/integration/catalog/test_writes.py).
        with _lock:
            case.headers["Idempotency-Key"] = f"{key[:200]}-{_calls}"


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    field = ""
    if response.status_code == 201:
        try:
            _handed_out.add(json.loads(response.content)["data"]["id"])
        except (ValueError, KeyError, TypeError):
            pass
    if 400 <= response.status_code < 500:
        try:
            error = json.loads(response.content)["error"]
            field = f"{error['code']} {(error.get('details') or {}).get('field', '')!r}"
            field += f" {error.get('message', '')[:120]!r}"
        except (ValueError, KeyError, TypeError):
            field = "?"
    with _lock, open(os.environ["STACKNEX_FUZZ_LOG"], "a") as log:
        log.write(
            f"{case.method.upper()} {case.operation.path}\t{response.status_code}\t{field}"
            f"\t{_how(case)}\n"
        )


def _how(case: Any) -> str:
    """`<phase> <positive|negative>`: which cases a validation mismatch counts."""
    meta = getattr(case, "meta", None)
    if meta is None:
        return "- -"
    return f"{meta.phase.name.value} {meta.generation.mode.value}"
