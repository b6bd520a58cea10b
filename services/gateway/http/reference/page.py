"""What the API reference page says, read from the OpenAPI document: the operations grouped
by tag, the webhook events and the shared schemas. `page()` is the data the template
renders, so a test can check what the page says without parsing HTML (STYLE 12)."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from libs.common import jsoncodec
from services.gateway.http.reference.fields import (
    Field,
    Schema,
    Shape,
    fields,
    ref_name,
    resolve,
    shape,
)

METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
# "Invalid input, naming the field: VALIDATION_ERROR, CONFLICT": the codes close the sentence.
_CODES = re.compile(r"^(?P<text>.*):\s*(?P<codes>[A-Z][A-Z0-9_]*(?:,\s*[A-Z][A-Z0-9_]*)*)$")


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    shape: Shape
    description: str


@dataclass(frozen=True)
class Body:
    model: str | None  # the named schema, linked to its section
    fields: list[Field]
    example: str | None


@dataclass(frozen=True)
class Reply:
    status: str
    description: str
    codes: tuple[str, ...]
    body: Body | None
    headers: tuple[str, ...]


@dataclass(frozen=True)
class Operation:
    anchor: str
    id: str
    method: str
    path: str
    summary: str
    description: str
    scopes: tuple[str, ...]
    public: bool
    deprecated: bool
    parameters: list[Parameter]
    request: Body | None
    replies: list[Reply]
    errors: list[Reply]


@dataclass(frozen=True)
class Group:
    tag: str
    description: str
    operations: list[Operation]


@dataclass(frozen=True)
class Webhook:
    anchor: str
    event: str
    summary: str
    description: str
    headers: list[Parameter]
    body: Body | None


@dataclass(frozen=True)
class Model:
    anchor: str
    name: str
    description: str
    fields: list[Field]
    example: str | None


@dataclass(frozen=True)
class Page:
    title: str
    version: str
    description: str
    servers: list[str]
    auth: list[str]
    scopes: list[str]
    error_codes: list[str]
    headers: list[Parameter]
    idempotency: str | None
    groups: list[Group]
    webhooks: list[Webhook]
    models: list[Model]


def page(document: Schema) -> Page:
    info = document.get("info", {})
    components = document.get("components", {})
    groups = _groups(document)
    operations = [op for group in groups for op in group.operations]
    idempotency = next(
        (p.description for op in operations for p in op.parameters if p.name == "Idempotency-Key"),
        None,
    )
    errors = components.get("schemas", {}).get("Error", {}).get("properties", {}).get("code", {})
    return Page(
        title=str(info.get("title", "API reference")),
        version=str(info.get("version", "")),
        description=str(info.get("description", "")),
        servers=[str(s.get("url", "")) for s in document.get("servers", ())],
        auth=[_scheme(s) for s in components.get("securitySchemes", {}).values()],
        scopes=sorted({scope for op in operations for scope in op.scopes}),
        error_codes=[str(code) for code in errors.get("enum", ())],
        headers=[
            _parameter(document, {"name": name, "in": "header", **header})
            for name, header in components.get("headers", {}).items()
        ],
        idempotency=idempotency,
        groups=groups,
        webhooks=[_webhook(document, e, item) for e, item in document.get("webhooks", {}).items()],
        models=[
            _model(document, name, schema) for name, schema in components.get("schemas", {}).items()
        ],
    )


def _groups(document: Schema) -> list[Group]:
    described = {t["name"]: str(t.get("description", "")) for t in document.get("tags", ())}
    grouped: dict[str, list[Operation]] = {tag: [] for tag in described}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if isinstance(item.get(method), Mapping):
                op = item[method]
                tag = (op.get("tags") or ["other"])[0]
                grouped.setdefault(tag, []).append(_operation(document, path, method, op))
    return [Group(tag, described.get(tag, ""), ops) for tag, ops in grouped.items() if ops]


def _operation(document: Schema, path: str, method: str, op: Schema) -> Operation:
    op_id = str(op.get("operationId") or f"{method}{re.sub(r'[^0-9A-Za-z]+', '-', path)}")
    security = op.get("security", document.get("security", []))
    replies = [_reply(document, status, r) for status, r in op.get("responses", {}).items()]
    return Operation(
        anchor=f"operation-{op_id}",
        id=op_id,
        method=method.upper(),
        path=path,
        summary=str(op.get("summary", "")),
        description=str(op.get("description", "")),
        scopes=tuple(scope for req in security for scopes in req.values() for scope in scopes),
        public=not security,
        deprecated=bool(op.get("deprecated")),
        parameters=[_parameter(document, p) for p in op.get("parameters", ())],
        request=_body(document, op.get("requestBody")),
        replies=[r for r in replies if not _is_error(r.status)],
        errors=[r for r in replies if _is_error(r.status)],
    )


def _is_error(status: str) -> bool:
    return status == "default" or status[:1] in ("4", "5")


def _parameter(document: Schema, parameter: Schema) -> Parameter:
    parameter = _deref(document, parameter)
    schema = parameter.get("schema", {})
    return Parameter(
        name=str(parameter.get("name", "")),
        location=str(parameter.get("in", "")),
        required=bool(parameter.get("required")),
        shape=shape(document, schema),
        description=str(parameter.get("description") or schema.get("description", "")),
    )


def _body(document: Schema, body: Schema | None) -> Body | None:
    if not body:
        return None
    content = _deref(document, body).get("content", {})
    media = content.get("application/json") or next(iter(content.values()), None)
    if not isinstance(media, Mapping) or "schema" not in media:
        return None
    schema = media["schema"]
    model = ref_name(schema["$ref"]) if "$ref" in schema else None
    example = media.get("example")
    if example is None and isinstance(media.get("examples"), Mapping):
        first: Schema = next(iter(media["examples"].values()), {})
        example = first.get("value")
    if example is None:
        example = _schema_example(_deref(document, schema))
    return Body(model, fields(document, schema), _pretty(example))


def _reply(document: Schema, status: str, reply: Schema) -> Reply:
    reply = _deref(document, reply)
    description = str(reply.get("description", ""))
    codes: tuple[str, ...] = ()
    if _is_error(status) and (found := _CODES.match(description)):
        description = found["text"]
        codes = tuple(c.strip() for c in found["codes"].split(","))
    return Reply(
        status=status,
        description=description,
        codes=codes,
        # An error's body is always the one error envelope, shown once in the intro.
        body=None if _is_error(status) else _body(document, reply),
        headers=tuple(reply.get("headers", {})),
    )


def _webhook(document: Schema, event: str, item: Schema) -> Webhook:
    op: Schema = next((item[m] for m in METHODS if isinstance(item.get(m), Mapping)), {})
    return Webhook(
        anchor=f"webhook-{event}",
        event=event,
        summary=str(op.get("summary", "")),
        description=str(op.get("description", "")),
        headers=[_parameter(document, p) for p in op.get("parameters", ())],
        body=_body(document, op.get("requestBody")),
    )


def _model(document: Schema, name: str, schema: Schema) -> Model:
    ref = {"$ref": f"#/components/schemas/{name}"}
    return Model(
        anchor=f"schema-{name}",
        name=name,
        description=str(schema.get("description", "")),
        # One level: a nested model is linked to its own section, not repeated here.
        fields=fields(document, ref, depth_limit=1),
        example=_pretty(_schema_example(schema)),
    )


def _scheme(scheme: Schema) -> str:
    kind = scheme.get("scheme") or scheme.get("type", "")
    words = [f"{kind}".capitalize()]
    if scheme.get("bearerFormat"):
        words.append(f"`{scheme['bearerFormat']}`")
    if scheme.get("description"):
        words.append(f"— {scheme['description']}")
    return " ".join(words)


def _deref(document: Schema, node: Schema) -> Schema:
    return resolve(document, node["$ref"]) if "$ref" in node else node


def _schema_example(schema: Schema) -> Any:
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    return schema.get("example")


def _pretty(example: Any) -> str | None:
    return None if example is None else jsoncodec.dumps_indented(example)
