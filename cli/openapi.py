"""The OpenAPI 3.1 document of the public API, generated from the gateway's route table and
the services' own request schemas, so that it cannot drift from what the code accepts.

    stacknex openapi > services/gateway/openapi.json   (a test checks it is up to date)
"""

from typing import Any

from pydantic import BaseModel

from libs.common.listing import ListQuery
from services.catalog.http import schemas as catalog
from services.gateway.domain.routing import ROUTES
from services.inventory.http import schemas as inventory
from services.orders.http import schemas as orders
from services.webhooks.http import schemas as webhooks

Op = tuple[type[BaseModel] | None, type[BaseModel] | None, int]  # query, body, success status

OPERATIONS: dict[tuple[str, str], Op] = {
    ("/api/v1/products", "GET"): (catalog.ProductList, None, 200),
    ("/api/v1/products", "POST"): (None, catalog.ProductCreate, 201),
    ("/api/v1/products/{id}", "GET"): (None, None, 200),
    ("/api/v1/products/{id}", "PUT"): (None, catalog.ProductReplace, 200),
    ("/api/v1/products/{id}", "PATCH"): (None, catalog.ProductUpdate, 200),
    ("/api/v1/products/{id}", "DELETE"): (None, None, 200),
    ("/api/v1/products/{id}/events", "GET"): (catalog.EventList, None, 200),
    ("/api/v1/categories", "GET"): (catalog.CategoryList, None, 200),
    ("/api/v1/categories", "POST"): (None, catalog.CategoryCreate, 201),
    ("/api/v1/categories/{id}", "GET"): (None, None, 200),
    ("/api/v1/categories/{id}", "PATCH"): (None, catalog.CategoryUpdate, 200),
    ("/api/v1/categories/{id}", "DELETE"): (None, None, 200),
    ("/api/v1/orders", "GET"): (orders.OrderList, None, 200),
    ("/api/v1/orders", "POST"): (None, orders.OrderCreate, 201),
    ("/api/v1/orders/{id}", "GET"): (None, None, 200),
    ("/api/v1/orders/{id}", "PUT"): (None, orders.OrderReplace, 200),
    ("/api/v1/orders/{id}", "PATCH"): (None, orders.OrderUpdate, 200),
    ("/api/v1/customers", "GET"): (orders.CustomerList, None, 200),
    ("/api/v1/customers", "POST"): (None, orders.CustomerCreate, 201),
    ("/api/v1/customers/{id}", "GET"): (None, None, 200),
    ("/api/v1/customers/{id}", "PUT"): (None, orders.CustomerReplace, 200),
    ("/api/v1/customers/{id}", "PATCH"): (None, orders.CustomerUpdate, 200),
    ("/api/v1/locations", "GET"): (inventory.LocationList, None, 200),
    ("/api/v1/locations", "POST"): (None, inventory.LocationCreate, 201),
    ("/api/v1/locations/{id}", "GET"): (None, None, 200),
    ("/api/v1/locations/{id}", "PATCH"): (None, inventory.LocationUpdate, 200),
    ("/api/v1/inventory", "GET"): (inventory.ItemList, None, 200),
    ("/api/v1/inventory/{id}", "GET"): (None, None, 200),
    ("/api/v1/inventory/{id}", "PUT"): (None, inventory.ItemCount, 200),
    ("/api/v1/inventory/{id}/adjustments", "GET"): (inventory.AdjustmentList, None, 200),
    ("/api/v1/inventory/{id}/adjustments", "POST"): (None, inventory.AdjustmentCreate, 201),
    ("/api/v1/webhooks", "GET"): (webhooks.EndpointList, None, 200),
    ("/api/v1/webhooks", "POST"): (None, webhooks.EndpointCreate, 201),
    ("/api/v1/webhooks/{id}", "GET"): (None, None, 200),
    ("/api/v1/webhooks/{id}", "PATCH"): (None, webhooks.EndpointUpdate, 200),
    ("/api/v1/webhooks/{id}", "DELETE"): (None, None, 200),
    ("/api/v1/webhooks/{id}/secret", "GET"): (None, None, 200),
    ("/api/v1/webhooks/{id}/rotate-secret", "POST"): (None, webhooks.Rotate, 200),
    ("/api/v1/webhooks/{id}/test", "POST"): (None, None, 202),
    ("/api/v1/webhooks/{id}/recover", "POST"): (None, webhooks.Recover, 202),
    ("/api/v1/webhooks/{id}/deliveries", "GET"): (webhooks.DeliveryList, None, 200),
    ("/api/v1/webhooks/{id}/deliveries/{deliveryId}", "GET"): (None, None, 200),
    ("/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry", "POST"): (None, None, 202),
    ("/api/v1/events", "GET"): (webhooks.EventQuery, None, 200),
    ("/api/v1/events/stream", "GET"): (webhooks.StreamQuery, None, 200),
    ("/api/v1/events/{id}", "GET"): (None, None, 200),
}
# Operations that answer server-sent events rather than a JSON envelope (the route table's
# `stream`): how a stream's messages look, and where it resumes.
STREAM_DESCRIPTION = (
    "Server-sent events, one per event logged: `id: evt_…`, `event: <type>`, `data: <the"
    " event JSON, the bytes a webhook delivery carries>`; `: keepalive` comments every 15 s;"
    " the stream ends after 30 minutes (reconnect with `Last-Event-ID`). Errors before the"
    " stream starts are JSON envelopes."
)
LAST_EVENT_ID = {
    "name": "Last-Event-ID",
    "in": "header",
    "required": False,
    "description": "Resume after this event (wins over the `lastEventId` query parameter)",
    "schema": {"type": "string", "pattern": "^evt_[0-9A-Za-z]{16,64}$"},
}
ID_PREFIX = {
    "products": "prod",
    "categories": "cat",
    "orders": "ord",
    "customers": "cus",
    "locations": "loc",
    "inventory": "inv",
    "webhooks": "we",
    "events": "evt",
}
ERROR_CODES = [
    "VALIDATION_ERROR",
    "AUTHENTICATION_REQUIRED",
    "INVALID_API_KEY",
    "HTTPS_REQUIRED",
    "PLAN_REQUIRED",
    "INSUFFICIENT_SCOPE",
    "NOT_FOUND",
    "METHOD_NOT_ALLOWED",
    "EVENT_EXPIRED",
    "VERSION_CONFLICT",
    "CONFLICT",
    "INSUFFICIENT_STOCK",
    "IDEMPOTENCY_KEY_IN_USE",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE",
    "IDEMPOTENCY_KEY_REUSED",
    "RATE_LIMITED",
    "INTERNAL_ERROR",
    "SERVICE_UNAVAILABLE",
]
ERROR_STATUSES = {
    "400": "Invalid input, naming the field",
    "401": "Missing or invalid API key",
    "403": "HTTPS, plan or scope refused",
    "404": "No such route or resource",
    "409": "Version, uniqueness, lifecycle or stock conflict",
    "413": "Body over 1 MiB",
    "415": "Body is not JSON",
    "422": "Idempotency-Key reused with another request",
    "429": "Rate limit reached",
    "503": "A dependency is briefly unavailable",
}

# Statuses only some operations answer, beside those every operation may.
ROUTE_ERROR_STATUSES = {
    ("/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry", "POST"): {
        "410": "The delivery's event is past the event log's retention (EVENT_EXPIRED)",
    },
    ("/api/v1/events/stream", "GET"): {
        "410": "The resume point is past the event log's retention (EVENT_EXPIRED)",
    },
}


def _schema(model: type[BaseModel], defs: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
    defs.update(schema.pop("$defs", {}))
    return schema


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        merged = {k: v for k, v in schema.items() if k != "anyOf"}
        return {**merged, **options[0]}
    return schema


def _parameters(
    path: str, query: type[BaseModel] | None, defs: dict[str, Any]
) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    resource = path.split("/")[3]
    if "{id}" in path:
        prefix = ID_PREFIX[resource]
        params.append(
            {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": f"^{prefix}_[0-9A-Za-z]{{16,64}}$"},
            }
        )
    if "{deliveryId}" in path:
        params.append(
            {
                "name": "deliveryId",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": "^del_[0-9A-Za-z]{16,64}$"},
            }
        )
    if query is not None:
        for name, prop in _schema(query, defs)["properties"].items():
            prop = _not_null({k: v for k, v in prop.items() if k != "title"})
            params.append({"name": name, "in": "query", "required": False, "schema": prop})
    return params


def _success(query: type[BaseModel] | None) -> dict[str, Any]:
    is_list = query is not None and (issubclass(query, ListQuery) or query is catalog.EventList)
    return {"$ref": "#/components/schemas/" + ("ListEnvelope" if is_list else "ObjectEnvelope")}


def build() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for route in ROUTES:
        for method, scope in route.scopes.items():
            query, body, status = OPERATIONS[(route.path, method)]
            success: dict[str, Any] = (
                {"text/event-stream": {"schema": {"type": "string"}}}
                if route.stream
                else {"application/json": {"schema": _success(query)}}
            )
            operation: dict[str, Any] = {
                "operationId": f"{method.lower()}{route.path.replace('/', '_')}".replace(
                    "{", ""
                ).replace("}", ""),
                "tags": [route.path.split("/")[3]],
                "security": [{"apiKey": []}],
                "description": f"Requires the `{scope}` scope."
                + (f" {STREAM_DESCRIPTION}" if route.stream else ""),
                "parameters": _parameters(route.path, query, defs)
                + ([LAST_EVENT_ID] if route.stream else []),
                "responses": {
                    str(status): {"description": "Success", "content": success},
                    **{
                        code: {
                            "description": text,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}
                                }
                            },
                        }
                        for code, text in sorted(
                            {
                                **ERROR_STATUSES,
                                **ROUTE_ERROR_STATUSES.get((route.path, method), {}),
                            }.items()
                        )
                    },
                },
            }
            if method == "POST":
                operation["parameters"].append(
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 255},
                    }
                )
            if body is not None:
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": _schema(body, defs)}},
                }
            paths.setdefault(route.path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "StackNex API",
            "version": "1.0.0",
            "description": "Products, categories, orders, customers, inventory, "
            "webhooks. Envelope, errors and semantics: docs/api.md.",
        },
        "servers": [{"url": "https://127.0.0.1:8443"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "nxp_live_… / nxp_test_…",
                }
            },
            "schemas": {**defs, **_envelopes()},
        },
    }


def _envelopes() -> dict[str, Any]:
    return {
        "ObjectEnvelope": {
            "type": "object",
            "required": ["success", "data"],
            "properties": {"success": {"const": True}, "data": {"type": "object"}},
        },
        "ListEnvelope": {
            "type": "object",
            "required": ["success", "data", "pagination"],
            "properties": {
                "success": {"const": True},
                "data": {"type": "array", "items": {"type": "object"}},
                "pagination": {
                    "type": "object",
                    "required": ["hasMore", "nextCursor"],
                    "properties": {
                        "hasMore": {"type": "boolean"},
                        "nextCursor": {"type": ["string", "null"]},
                    },
                },
            },
        },
        "ErrorEnvelope": {
            "type": "object",
            "required": ["success", "error"],
            "properties": {
                "success": {"const": False},
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"enum": ERROR_CODES},
                        "message": {"type": "string", "minLength": 1},
                        "details": {"type": "object"},
                    },
                },
            },
        },
    }
