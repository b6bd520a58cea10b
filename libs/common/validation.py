"""Turning a request into typed values, or into a 400 that names the field.

Bodies are parsed by pydantic straight from the raw bytes in strict JSON mode: a string
where a number belongs is an error, not a guess; unknown fields are refused; money keeps
its exact decimal value.
"""

import math
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, TypeVar

from aiohttp import web
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)
from pydantic.alias_generators import to_camel
from pydantic_core import ErrorDetails

from libs.common import jsoncodec
from libs.common.errors import UnsupportedMediaType, ValidationFailed
from libs.common.ids import is_valid_id

Model = TypeVar("Model", bound=BaseModel)

# numeric(12,2): up to 9,999,999,999.99, far above any till's sale.
MAX_MONEY = Decimal("9999999999.99")
_ID_NAMES = {
    "prod": "product",
    "cat": "category",
    "ord": "order",
    "cus": "customer",
    "loc": "location",
    "inv": "inventory item",
    "adj": "adjustment",
    "we": "webhook endpoint",
    "evt": "event",
    "del": "delivery",
    "org": "organization",
}


class ApiModel(BaseModel):
    """Request schemas: camelCase on the wire, strict types, unknown fields refused."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        alias_generator=to_camel,
        populate_by_name=True,
    )


def _no_null_branch(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    """The document says of a PATCH body what `given_fields` enforces: a field in
    `non_null` may be left out, never sent as null."""
    for name in getattr(cls, "non_null", ()):
        field = schema.get("properties", {}).get(to_camel(name))
        if field is None or "anyOf" not in field:
            continue
        branches = [b for b in field["anyOf"] if b.get("type") != "null"]
        field.pop("default", None)
        if len(branches) == 1:
            del field["anyOf"]
            field.update(branches[0])
        else:
            field["anyOf"] = branches


class PatchModel(ApiModel):
    """A PATCH body: every field may be left out; null clears a nullable one, and is an
    error for the fields in `non_null` (those always hold a value)."""

    model_config = ConfigDict(json_schema_extra=_no_null_branch)
    non_null: ClassVar[frozenset[str]] = frozenset()


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a JSON number, like 4.99")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    # repr() of a float is the shortest text that reads back as the same float: for money
    # with two decimals that is exactly what the client wrote.
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    # The range first: quantizing 1e307 to cents exceeds decimal's precision and raises
    # InvalidOperation, which was a 500 (found by the fuzzing suite).
    if amount < 0:
        raise ValueError("must not be negative")
    if amount > MAX_MONEY:
        raise ValueError(f"must be at most {MAX_MONEY}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("must have at most two decimal places")
    return amount.quantize(Decimal("0.01"))


Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    WithJsonSchema(
        {
            "type": "number",
            "minimum": 0,
            "maximum": float(MAX_MONEY),
            "multipleOf": 0.01,
            "example": 4.99,
        }
    ),
]


def trimmed(*, max_length: int, min_length: int = 1) -> tuple[StringConstraints, WithJsonSchema]:
    """Text trimmed of surrounding whitespace, which must keep `min_length` characters after
    it (`Annotated[str, *trimmed(max_length=200)]`). The document says so with a pattern, so
    that a value of spaces it allows is not one the API refuses."""
    # No NUL anywhere (PostgreSQL text cannot hold one: parse_body refuses it), and a
    # non-space character, or two `min_length` apart.
    edge, any_ = "[^\\s\\u0000]", "[^\\u0000]"
    inner = "" if min_length <= 1 else f"{any_}{{{min_length - 2},}}{edge}"
    return (
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        WithJsonSchema(
            {
                "type": "string",
                "minLength": min_length,
                "maxLength": max_length,
                "pattern": f"^{any_}*{edge}{inner}{any_}*$",
            }
        ),
    )


def _integral(value: Any) -> Any:
    # JSON has one kind of number: 2.0 is the integer 2, as JSON Schema's "integer" says
    # (Schemathesis sent it, and strict parsing refused it). 2.5, "2" and true stay errors.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Every integer of a request: `Annotated[int, Field(ge=…), Integer]`, after the Field: before
# it, pydantic writes the bounds into the document as "ge"/"le", which no tool reads.
Integer = BeforeValidator(_integral)


# A resource's version as a client sends it back (`version`): the event store's `integer`
# column bounds it, and a larger number reached SQL and was a 500 (found by the property
# suite). No resource changes two billion times.
Version = Annotated[int, Field(ge=1, le=2**31 - 1), Integer]


def _utc(value: datetime) -> datetime:
    # A timestamp may carry any offset (RFC 3339); PostgreSQL compares it in UTC, and
    # 0001-01-01T00:00:00+14:00 is before year 1 there: Python's conversion overflowed into
    # a 500 (found by the property suite). No offset means UTC, as CONVENTIONS writes them.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("must be between years 1 and 9999 in UTC") from None


Timestamp = Annotated[datetime, AfterValidator(_utc)]


def _id_schema(prefix: str) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "type": "string",
            "pattern": f"^{prefix}_[0-9A-Za-z]{{16,64}}$",
            "example": f"{prefix}_0354xIPEOJKu0fmmxXMXnj",
        }
    )


def _id_check(prefix: str) -> BeforeValidator:
    """A field holding an id of one kind: anything else is 'Invalid <kind> ID format'."""

    def check(value: Any) -> Any:
        if not is_valid_id(value, prefix):
            raise ValueError(f"Invalid {_ID_NAMES.get(prefix, prefix)} ID format")
        return value

    return BeforeValidator(check)


ProductId = Annotated[str, _id_check("prod"), _id_schema("prod")]
CategoryId = Annotated[str, _id_check("cat"), _id_schema("cat")]
OrderId = Annotated[str, _id_check("ord"), _id_schema("ord")]
CustomerId = Annotated[str, _id_check("cus"), _id_schema("cus")]
LocationId = Annotated[str, _id_check("loc"), _id_schema("loc")]
InventoryId = Annotated[str, _id_check("inv"), _id_schema("inv")]
AdjustmentId = Annotated[str, _id_check("adj"), _id_schema("adj")]
EndpointId = Annotated[str, _id_check("we"), _id_schema("we")]
EventId = Annotated[str, _id_check("evt"), _id_schema("evt")]
DeliveryId = Annotated[str, _id_check("del"), _id_schema("del")]


def _metadata(value: Any) -> Any:
    # Stripe's limits: 50 keys, keys up to 40 characters, values up to 500.
    if not isinstance(value, dict):
        raise ValueError("must be an object of string keys and string values")
    if len(value) > 50:
        raise ValueError("may hold at most 50 keys")
    for key, item in value.items():
        if not 1 <= len(key) <= 40:
            raise ValueError("keys have 1 to 40 characters")
        if not isinstance(item, str) or len(item) > 500:
            raise ValueError(f"value of {key!r} must be a string of at most 500 characters")
    return value


Metadata = Annotated[
    dict[str, str],
    BeforeValidator(_metadata),
    WithJsonSchema(
        {
            "type": "object",
            "maxProperties": 50,
            "propertyNames": {"minLength": 1, "maxLength": 40},
            "additionalProperties": {"type": "string", "maxLength": 500},
        }
    ),
]


def field_path(loc: tuple[int | str, ...]) -> str:
    """('items', 0, 'productId') -> 'items[0].productId'"""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "":
            path += '[""]'  # an empty key must still be named (the property suite sent one)
        else:
            path += f".{part}" if path else str(part)
    return path


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "Unknown field."
    if kind == "missing":
        return "This field is required."
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def validation_error(
    exc: ValidationError, *, prefix: tuple[int | str, ...] = ()
) -> ValidationFailed:
    errors = []
    for error in exc.errors(include_url=False):
        if error["type"] == "json_invalid":
            return ValidationFailed(
                "The request body is not valid JSON.", field="body", expected="a JSON object"
            )
        if error["type"] == "model_type" and not error["loc"]:
            return ValidationFailed(
                "The request body must be a JSON object.", field="body", expected="a JSON object"
            )
        item: dict[str, Any] = {
            "field": field_path((*prefix, *error["loc"])),
            "message": _message(error),
        }
        expected = _expected_for(item["message"])
        if expected:
            item["expected"] = expected
        errors.append(item)
    first = errors[0]
    message = str(first["message"]).rstrip(".")
    sentence = (
        f"{first['field']} {message}."
        if message[:1].islower()
        else f"{message} ({first['field']})."
    )
    return ValidationFailed(
        sentence,
        field=first["field"],
        expected=first.get("expected"),
        errors=errors,
    )


_ID_MESSAGE = re.compile(r"^Invalid (.+) ID format$")


def _expected_for(message: str) -> str | None:
    match = _ID_MESSAGE.match(message)
    if match is None:
        return None
    prefix = next((p for p, name in _ID_NAMES.items() if name == match.group(1)), None)
    return f"{prefix}_ ID" if prefix else None


def _nul_path(value: Any, path: tuple[int | str, ...] = ()) -> tuple[int | str, ...] | None:
    """Where a NUL character hides in parsed JSON: PostgreSQL text cannot hold one."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return (*path, key)
            found = _nul_path(item, (*path, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_path(item, (*path, index))
            if found is not None:
                return found
    return None


def _refuse_nul(found: tuple[int | str, ...] | None) -> None:
    if found is not None:
        field = field_path(found) or "body"
        raise ValidationFailed(f"{field} must not contain NUL characters.", field=field)


async def parse_body(request: web.Request, model: type[Model]) -> Model:
    if request.content_type != "application/json":
        raise UnsupportedMediaType(
            "Send the body as JSON with Content-Type: application/json.",
            details={"contentType": request.content_type or None},
        )
    raw = await request.read()  # bounded by client_max_size: over 1 MiB is a 413
    if b"\\u0000" in raw:
        try:
            _refuse_nul(_nul_path(jsoncodec.loads(raw)))
        except jsoncodec.JSONDecodeError:
            pass  # pydantic names the syntax error below
    try:
        return model.model_validate_json(raw or b"")
    except ValidationError as exc:
        raise validation_error(exc) from None


def parse_query(request: web.Request, model: type[Model]) -> Model:
    """Query parameters are strings: the model converts them (lax), unknown ones are refused."""
    values: dict[str, Any] = {}
    for name in request.query:
        items = request.query.getall(name)
        if any("\x00" in item for item in items):
            _refuse_nul((name,))
        values[name] = items[0] if len(items) == 1 else items
    try:
        return model.model_validate(values, strict=False)
    except ValidationError as exc:
        raise validation_error(exc) from None


def path_id(request: web.Request, prefix: str, *, name: str = "id") -> str:
    value = request.match_info[name]
    if not is_valid_id(value, prefix):
        kind = _ID_NAMES.get(prefix, prefix)
        raise ValidationFailed(f"Invalid {kind} ID format.", field=name, expected=f"{prefix}_ ID")
    return value


def given_fields(
    body: BaseModel,
    *,
    required: frozenset[str] | None = None,
    exclude: frozenset[str] = frozenset({"version"}),
) -> dict[str, Any]:
    """A PATCH body's fields that the client actually sent, by attribute name. Sending null
    for a field that always holds a value is an error, not a way to clear it."""
    non_null: frozenset[str] = (
        required if required is not None else getattr(type(body), "non_null", frozenset())
    )
    changes: dict[str, Any] = {}
    for name in body.model_fields_set - exclude:
        value = getattr(body, name)
        if value is None and name in non_null:
            raise ValidationFailed(f"{to_camel(name)} cannot be null.", field=to_camel(name))
        changes[name] = value
    return changes
