"""The OpenAPI 3.1 document, built from the route table alone (`libs/contract/routes.py`):
operations, their parameters, bodies, answers, errors and examples; the event payloads as
the `webhooks` section; the error codes from the error classes themselves."""

from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from libs.common import errors, jsoncodec
from libs.common.events import Event
from libs.contract.base import Operation
from libs.contract.routes import EVENTS, OPERATIONS

_REF = "#/components/schemas/{model}"
# (model, "validation" | "serialization") -> its {"$ref": …}
Refs = dict[tuple[Any, Any], dict[str, Any]]
_RATE_HEADERS = {
    "X-RateLimit-Limit": ("integer", "Requests allowed per hour on the organization's plan"),
    "X-RateLimit-Remaining": ("integer", "Requests left in the current hour"),
    "X-RateLimit-Reset": ("integer", "Unix time (seconds) when the window resets"),
    "X-RateLimit-Status": ("string", "`unknown` when the limiter could not count this request"),
    "RateLimit-Policy": ("string", 'The IETF draft\'s policy, like `"hourly";q=1000;w=3600`'),
    "RateLimit": ("string", 'The IETF draft\'s state, like `"hourly";r=999;t=3599`'),
    "Retry-After": ("integer", "Seconds to wait before retrying (429 and 503)"),
    "X-Request-Id": ("string", "This request's id: quote it when asking about it"),
    "ETag": ("string", 'The resource\'s version, like `"3"`: send it back as If-Match'),
}
# What any operation may answer, whatever it does (CONVENTIONS: Errors).
_ALWAYS = (
    errors.ValidationFailed,
    errors.AuthenticationRequired,
    errors.InsufficientScope,
    errors.RateLimited,
    errors.ServiceUnavailable,
)
_WITH_BODY = (errors.PayloadTooLarge, errors.UnsupportedMediaType)
_IDEMPOTENT = (errors.IdempotencyKeyInUse, errors.IdempotencyKeyReused)
_STATUS_TEXT = {
    400: "Invalid input, naming the field",
    401: "Missing or invalid API key",
    403: "HTTPS, plan or scope refused",
    404: "No such resource (or not this organization's)",
    409: "A conflict: version, uniqueness, lifecycle, stock or a key in use",
    410: "Gone: past the retention of what it refers to",
    413: "Body over 1 MiB",
    415: "Body is not JSON",
    422: "Idempotency-Key reused with another request",
    429: "Rate limit reached",
    503: "A dependency is briefly unavailable",
}


def error_classes() -> list[type[errors.ApiError]]:
    """Every error an API client may get, from the classes themselves."""
    found: list[type[errors.ApiError]] = []
    pending = list(errors.ApiError.__subclasses__())
    while pending:
        cls = pending.pop(0)
        found.append(cls)
        pending.extend(cls.__subclasses__())
    shown = {c.code: c for c in found if c.public}
    return sorted(shown.values(), key=lambda c: (c.status, c.code))


def _errors_of(op: Operation) -> list[type[errors.ApiError]]:
    found: list[type[errors.ApiError]] = [*_ALWAYS, errors.InvalidApiKey, errors.PlanRequired]
    if op.params or op.method != "GET":
        found.append(errors.NotFound)
    if op.method in ("PUT", "PATCH", "DELETE"):
        found.append(errors.VersionConflict)
    if op.body is not None:
        found.extend(_WITH_BODY)
    if op.method == "POST":
        found.extend(_IDEMPOTENT)
    return [*found, *op.errors]


def _models() -> list[tuple[type[BaseModel], Any]]:
    wanted: list[tuple[type[BaseModel], Any]] = []
    for op in OPERATIONS:
        if op.body is not None:
            wanted.append((op.body, "validation"))
        if op.response is not None:
            wanted.append((op.response, "serialization"))
    for model in EVENTS.values():
        wanted.append((model, "serialization"))
    return list(dict.fromkeys(wanted))


def _parameters(op: Operation, query: dict[str, Any] | None) -> list[dict[str, Any]]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": TypeAdapter(kind).json_schema(),
        }
        for name, kind in op.params.items()
    ]
    params.extend(
        {
            "name": name,
            "in": "header",
            "required": False,
            "schema": TypeAdapter(kind).json_schema(),
        }
        for name, kind in op.headers.items()
    )
    for name, prop in (query or {}).get("properties", {}).items():
        prop = _no_nul(_not_null({k: v for k, v in prop.items() if k not in ("title", "default")}))
        params.append({"name": name, "in": "query", "required": False, "schema": prop})
    if op.method in ("PUT", "PATCH", "DELETE"):
        params.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "description": 'The version being changed, like "3": a newer one is a 409.',
                "schema": {"type": "string", "pattern": '^(W/)?"?[0-9]{1,9}"?$'},
            }
        )
    if op.method == "POST":
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Makes a retry safe: the same key answers the first result.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            }
        )
    return params


# PostgreSQL text cannot hold NUL, so no string a client sends may carry one (a 400 naming
# the field: validation.parse_body and parse_query); the document says so of every string
# that no pattern, format or enum already bounds.
_NO_NUL = "^[^\\u0000]*$"


def _no_nul(schema: Any) -> Any:
    if isinstance(schema, dict):
        kinds = schema.get("type")
        is_text = kinds == "string" or (isinstance(kinds, list) and "string" in kinds)
        if is_text and not {"pattern", "format", "enum", "const"} & set(schema):
            schema["pattern"] = _NO_NUL
        names = schema.get("propertyNames")  # an object's keys are strings a client sends
        if isinstance(names, dict) and not {"pattern", "format", "enum", "const"} & set(names):
            names["pattern"] = _NO_NUL
        for key, value in schema.items():
            if key in ("properties", "$defs"):
                for item in value.values():
                    _no_nul(item)
            elif isinstance(value, dict | list):
                _no_nul(value)
    elif isinstance(schema, list):
        for item in schema:
            _no_nul(item)
    return schema


def _reachable(roots: list[dict[str, Any]], schemas: dict[str, Any]) -> set[str]:
    """The component schemas that `roots` refer to, however deep."""
    seen: set[str] = set()
    pending: list[Any] = list(roots)
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in seen and name in schemas:
                    seen.add(name)
                    pending.append(schemas[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return seen


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    # A query parameter is absent or has a value: "null" is not something a URL can say.
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        merged = {k: v for k, v in schema.items() if k != "anyOf"}
        return {**merged, **options[0]}
    return schema


def _headers(*, etag: bool = False) -> dict[str, Any]:
    names = [n for n in _RATE_HEADERS if n != "ETag" or etag]
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def _envelope_name(op: Operation) -> str:
    assert op.response is not None
    # ProductRead -> ProductEnvelope, ProductPage (ProductEvent -> ProductEventPage).
    return f"{op.response.__name__.removesuffix('Read')}{'Page' if op.page else 'Envelope'}"


def _envelope(op: Operation, model_ref: dict[str, Any]) -> dict[str, Any]:
    data = {"type": "array", "items": model_ref} if op.page else model_ref
    properties: dict[str, Any] = {"success": {"const": True}, "data": data}
    required = ["success", "data"]
    if op.page:
        properties["pagination"] = {"$ref": _REF.format(model="Pagination")}
        required.append("pagination")
    return {"type": "object", "required": required, "properties": properties}


def _event_example(kind: str, data: Any) -> dict[str, Any]:
    return {
        "id": "evt_0354xIPEOJKu0fmmxXMXnj",
        "event": kind,
        "timestamp": "2024-01-15T10:30:00Z",
        "organizationId": "org_0354xIPEOJKu0fmmxXMXnj",
        "mode": "live",
        "data": data,
    }


def _example(model: type[BaseModel]) -> Any:
    """The model's own example; an event's is made of its resource's (the first event type
    that carries it), and an untyped event's is a product's creation."""
    extra = model.model_config.get("json_schema_extra")
    if isinstance(extra, dict) and extra.get("examples"):
        return extra["examples"][0]  # type: ignore[index]
    if issubclass(model, Event):
        kind = next((k for k, m in EVENTS.items() if m is model), "product.created")
        carried: Any = model.model_fields["data"].annotation
        if not (isinstance(carried, type) and issubclass(carried, BaseModel)):
            carried = EVENTS[kind].model_fields["data"].annotation
        return _event_example(kind, _example(carried))
    return None


def _sse_example() -> str:
    """One message of the stream, and a heartbeat."""
    body = jsoncodec.dumps_str(_example(EVENTS["product.created"]))
    return (
        f"id: evt_0354xIPEOJKu0fmmxXMXnj\nevent: product.created\ndata: {body}\n\n: keepalive\n\n"
    )


def _operation(op: Operation, refs: Refs, schemas: dict[str, Any]) -> dict[str, Any]:
    query = None
    if op.query is not None:
        # Flattened into parameters: a query model is not a schema a client sends.
        query = op.query.model_json_schema(by_alias=True, ref_template=_REF)
        schemas.update(query.pop("$defs", {}))
    versioned = op.response is not None and "version" in op.response.model_fields
    success: dict[str, Any] = {
        "description": op.summary,
        "headers": _headers(etag=versioned and not op.page),
    }
    if op.content_type != "application/json":
        success["content"] = {
            op.content_type: {"schema": {"type": "string"}, "example": _sse_example()}
        }
    else:
        if op.response is not None:
            name = _envelope_name(op)
            model_ref = refs[(op.response, "serialization")]
            schemas.setdefault(name, _envelope(op, model_ref))
            schema: dict[str, Any] = {"$ref": _REF.format(model=name)}
            item = _example(op.response)
        else:
            schema = {"$ref": _REF.format(model="Page" if op.page else "Envelope")}
            item = None
        content: dict[str, Any] = {"schema": schema}
        if item is not None:
            data = [item] if op.page else item
            example: dict[str, Any] = {"success": True, "data": data}
            if op.page:
                example["pagination"] = {"hasMore": False, "nextCursor": None}
            content["example"] = example
        success["content"] = {"application/json": content}
    responses: dict[str, Any] = {str(op.status): success}
    by_status: dict[int, list[str]] = {}
    for cls in _errors_of(op):
        codes = by_status.setdefault(cls.status, [])
        if cls.code not in codes:
            codes.append(cls.code)
    for status, codes in sorted(by_status.items()):
        responses[str(status)] = {
            "description": f"{_STATUS_TEXT.get(status, 'Error')}: {', '.join(codes)}",
            # The limiter's headers are on every answer the limiter counted; the document
            # names them where a client acts on them.
            **({"headers": _headers()} if status in (429, 503) else {}),
            "content": {
                "application/json": {"schema": {"$ref": _REF.format(model="ErrorEnvelope")}}
            },
        }
    operation: dict[str, Any] = {
        "operationId": op.id,
        "summary": op.summary,
        "description": (op.description + "\n\n" if op.description else "")
        + f"Requires the `{op.scope}` scope.",
        "tags": [op.path.split("/")[3]],
        "security": [{"apiKey": [op.scope]}],
        "parameters": _parameters(op, query),
        "responses": responses,
    }
    if op.body is not None:
        body: dict[str, Any] = {"schema": refs[(op.body, "validation")]}
        if op.example is not None:
            body["example"] = op.example
        operation["requestBody"] = {"required": True, "content": {"application/json": body}}
    return operation


def _webhooks(refs: Refs, schemas: dict[str, Any]) -> Any:
    hooks: dict[str, Any] = {}
    for kind, model in sorted(EVENTS.items()):
        ref = refs[(model, "serialization")]
        content: dict[str, Any] = {"schema": ref}
        data = _example(model)
        if data is not None:
            content["example"] = {**data, "event": kind}
        hooks[kind] = {
            "post": {
                "operationId": "on" + "".join(p.title() for p in kind.replace("_", ".").split(".")),
                "summary": f"`{kind}`, delivered to endpoints subscribed to it",
                "description": "Signed: verify `X-Webhook-Signature` (hex HMAC-SHA256 of the raw "
                "body, keyed with the endpoint's secret) or the Standard Webhooks headers.",
                "parameters": [
                    {"name": h, "in": "header", "required": True, "schema": {"type": "string"}}
                    for h in (
                        "X-Webhook-Signature",
                        "X-Webhook-Id",
                        "X-Webhook-Event",
                        "X-Webhook-Timestamp",
                        "webhook-id",
                        "webhook-timestamp",
                        "webhook-signature",
                    )
                ],
                "requestBody": {"required": True, "content": {"application/json": content}},
                "responses": {"2XX": {"description": "Received; any 2xx acknowledges"}},
            }
        }
    return hooks


def build() -> dict[str, Any]:
    refs, defs = models_json_schema(_models(), ref_template=_REF, by_alias=True)
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    paths: dict[str, Any] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs, schemas)
    for name in _reachable(
        [refs[(op.body, "validation")] for op in OPERATIONS if op.body], schemas
    ):
        _no_nul(schemas[name])
    schemas.update(_common_schemas())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "StackNex API",
            "version": "1.0.0",
            "description": "Products, categories, orders, customers, inventory, webhooks and "
            "events for point-of-sale businesses. Envelope, errors and semantics: docs/api.md.",
        },
        "servers": [{"url": "https://127.0.0.1:8443"}],
        "tags": [{"name": t} for t in dict.fromkeys(op.path.split("/")[3] for op in OPERATIONS)],
        "paths": paths,
        "webhooks": _webhooks(refs, schemas),
        "components": {
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "nxp_live_… / nxp_test_…",
                    "description": "An API key; its scopes decide what it may do.",
                }
            },
            "headers": {
                name: {"description": text, "schema": {"type": kind}}
                for name, (kind, text) in _RATE_HEADERS.items()
            },
            "schemas": dict(sorted(schemas.items())),
        },
    }


def _common_schemas() -> dict[str, Any]:
    return {
        "Envelope": {
            "type": "object",
            "required": ["success", "data"],
            "properties": {"success": {"const": True}, "data": {"type": "object"}},
        },
        "Page": {
            "type": "object",
            "required": ["success", "data", "pagination"],
            "properties": {
                "success": {"const": True},
                "data": {"type": "array", "items": {"type": "object"}},
                "pagination": {"$ref": _REF.format(model="Pagination")},
            },
        },
        "Pagination": {
            "type": "object",
            "required": ["hasMore", "nextCursor"],
            "properties": {
                "hasMore": {"type": "boolean"},
                "nextCursor": {"type": ["string", "null"]},
            },
        },
        "ErrorEnvelope": {
            "type": "object",
            "required": ["success", "error"],
            "properties": {
                "success": {"const": False},
                "error": {"$ref": _REF.format(model="Error")},
            },
        },
        "Error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"enum": [cls.code for cls in error_classes()]},
                "message": {"type": "string", "minLength": 1},
                "details": {"type": "object"},
            },
        },
    }
