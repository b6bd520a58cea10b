"""A JSON Schema, as the API reference shows it: one row per field, nested objects flattened
into dotted names (`data.items[].quantity`), `$ref`s followed, `anyOf` with `null` read as
"nullable". Plain data, so a test can check what the page says without parsing HTML."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from libs.common import jsoncodec

Schema = Mapping[str, Any]

# Deep enough for every answer (envelope → page → item → its list of lines is 3 levels);
# a cycle stops earlier, at the first `$ref` already on the path.
MAX_DEPTH = 4

# (keyword, label): the order a reader wants them in, most telling first.
_CONSTRAINTS = (
    ("format", "format"),
    ("pattern", "pattern"),
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("minimum", "≥"),
    ("exclusiveMinimum", ">"),
    ("maximum", "≤"),
    ("exclusiveMaximum", "<"),
    ("multipleOf", "multiple of"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
    ("uniqueItems", "unique items"),
    ("minProperties", "min keys"),
    ("maxProperties", "max keys"),
)


@dataclass(frozen=True)
class Shape:
    """What one schema is, in words: its type, whether null is allowed, its limits, and the
    object schema whose fields go underneath it (`expand`), reached through `ref`."""

    type: str = "any"
    ref: str | None = None
    nullable: bool = False
    constraints: tuple[str, ...] = ()
    enum: tuple[str, ...] = ()
    default: str | None = None
    description: str = ""
    expand: Schema | None = None
    suffix: str = ""  # "[]" for an array's items, "{}" for a map's values


@dataclass(frozen=True)
class Field:
    name: str
    shape: Shape
    required: bool
    depth: int


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def resolve(document: Schema, ref: str) -> Schema:
    """A local JSON pointer (`#/components/schemas/ProductRead`); anything else is unknown,
    shown by name and not expanded."""
    if not ref.startswith("#/"):
        return {}
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or part not in node:
            return {}
        node = node[part]
    return node if isinstance(node, Mapping) else {}


def literal(value: Any) -> str:
    return jsoncodec.dumps_str(value)


def shape(document: Schema, schema: Schema) -> Shape:
    variants = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(variants, list):
        return _variants(document, schema, variants)
    if "$ref" in schema:
        name = ref_name(schema["$ref"])
        target = resolve(document, schema["$ref"])
        # Sibling keywords (a description, a default) describe this use of the model.
        return replace(
            _plain(document, {**target, **{k: v for k, v in schema.items() if k != "$ref"}}),
            type=name,
            ref=name,
            expand=target if _is_object(target) else None,
        )
    return _plain(document, schema)


def _variants(document: Schema, schema: Schema, variants: list[Any]) -> Shape:
    others = [v for v in variants if isinstance(v, Mapping) and v.get("type") != "null"]
    nullable = len(others) < len(variants)
    outer = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
    if len(others) == 1:
        inner = shape(document, {**others[0], **outer})
        return replace(inner, nullable=inner.nullable or nullable)
    kinds = [shape(document, v) for v in others]
    base = _plain(document, outer)
    return replace(base, type=" or ".join(k.type for k in kinds), nullable=nullable)


def _plain(document: Schema, schema: Schema) -> Shape:
    types = schema.get("type")
    nullable = False
    if isinstance(types, list):
        nullable = "null" in types
        types = " or ".join(t for t in types if t != "null") or "null"
    kind = types if isinstance(types, str) else None
    if kind is None and "const" in schema:
        kind = _json_type(schema["const"])
    if kind is None and schema.get("enum"):
        kind = " or ".join(dict.fromkeys(_json_type(v) for v in schema["enum"]))
    constraints = [f"{label} {_show(schema[key])}" for key, label in _CONSTRAINTS if key in schema]
    if "const" in schema:
        constraints.insert(0, f"always {literal(schema['const'])}")
    names = schema.get("propertyNames")
    if isinstance(names, Mapping):
        constraints += [f"keys: {c}" for c in _plain(document, names).constraints]
    result = Shape(
        type=kind or ("object" if "properties" in schema else "any"),
        nullable=nullable,
        constraints=tuple(constraints),
        enum=tuple(literal(v) for v in schema.get("enum", ())),
        default=literal(schema["default"]) if "default" in schema else None,
        description=str(schema.get("description", "")),
        expand=schema if _is_object(schema) else None,
    )
    if kind == "array" and isinstance(schema.get("items"), Mapping):
        return _container(document, result, schema["items"], "array of", "[]")
    values = schema.get("additionalProperties")
    if kind == "object" and isinstance(values, Mapping) and "properties" not in schema:
        return _container(document, result, values, "map of", "{}")
    return result


def _container(
    document: Schema, outer: Shape, inner_schema: Schema, word: str, suffix: str
) -> Shape:
    inner = shape(document, inner_schema)
    item_type = f"{inner.type} (nullable)" if inner.nullable else inner.type
    return replace(
        outer,
        type=f"{word} {item_type}",
        ref=inner.ref,
        constraints=outer.constraints + tuple(f"each: {c}" for c in inner.constraints),
        enum=outer.enum or inner.enum,
        expand=inner.expand,
        suffix=suffix,
    )


def fields(document: Schema, schema: Schema, *, depth_limit: int = MAX_DEPTH) -> list[Field]:
    """The rows of an object schema (a `$ref` is followed first). `depth_limit=1` lists only
    the top level, each nested model named and linked instead of inlined."""
    top = shape(document, schema)
    seen = frozenset({top.ref}) if top.ref else frozenset()
    return _rows(document, top.expand or {}, prefix="", depth=0, limit=depth_limit, seen=seen)


def _rows(
    document: Schema, schema: Schema, *, prefix: str, depth: int, limit: int, seen: frozenset[str]
) -> list[Field]:
    required = set(schema.get("required", ()))
    rows: list[Field] = []
    for name, sub in (schema.get("properties") or {}).items():
        if not isinstance(sub, Mapping):
            continue
        field_shape = shape(document, sub)
        path = f"{prefix}{name}"
        rows.append(Field(path, field_shape, name in required, depth))
        nested = field_shape.expand
        if nested is None or depth + 1 >= limit or field_shape.ref in seen:
            continue
        rows += _rows(
            document,
            nested,
            prefix=f"{path}{field_shape.suffix}.",
            depth=depth + 1,
            limit=limit,
            seen=(seen | {field_shape.ref}) if field_shape.ref else seen,
        )
    return rows


def _is_object(schema: Schema) -> bool:
    return isinstance(schema.get("properties"), Mapping) and bool(schema["properties"])


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _show(value: Any) -> str:
    return value if isinstance(value, str) else literal(value)
