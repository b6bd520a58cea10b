"""Resource models: a resource as GET shows it. The event's `data`, the read-model row, the
HTTP response and the OpenAPI schema are all one model (`model_validate` in, `dump()` out).
The owner (organization and mode) is not part of it: it is the event's and the row's, never
shown. A change is a new value (`revise`); these functions import no framework, so a domain
may use them."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer, PlainValidator, WithJsonSchema
from pydantic.alias_generators import to_camel

from libs.common.clock import rfc3339
from libs.common.errors import VersionConflict


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("must be a number")
    # repr() of a float is the shortest text that reads back as the same float: an amount
    # stored as JSON 4.99 comes back as exactly 4.99.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


# An amount as the platform writes it (a price, a total): a JSON number with at most two
# decimals. Requests use `libs.common.validation.Money`, which also bounds what a client sends.
Amount = Annotated[
    Decimal,
    PlainValidator(_decimal),
    WithJsonSchema({"type": "number", "example": 4.99}),
]
# A moment as the platform writes it: RFC 3339 in UTC (`2024-01-15T10:30:00Z`).
At = Annotated[
    datetime,
    PlainSerializer(rfc3339, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "example": "2024-01-15T10:30:00Z"}),
]


# How the platform shows any value: camelCase by alias, frozen (a change is a new value),
# every field in every answer (null when empty: the document says so), and the owner's
# columns of a row (organization_id, mode) ignored: they are not the value's.
PUBLIC_SHAPE = ConfigDict(
    frozen=True,
    alias_generator=to_camel,
    populate_by_name=True,
    serialize_by_alias=True,
    extra="ignore",
    json_schema_serialization_defaults_required=True,
)


class View(BaseModel):
    """An answer that is not a versioned resource (a delivery, a secret, an event)."""

    model_config = PUBLIC_SHAPE

    def dump(self) -> dict[str, Any]:
        """The public shape: camelCase, amounts as Decimal (the codec writes numbers)."""
        return self.model_dump(by_alias=True)


class Resource(View):
    """A resource as the API shows it: the aggregate's state, its events' data, its row."""

    # What a message calls it ("No product prod_…").
    kind: ClassVar[str] = "resource"

    id: str
    version: int
    created_at: At
    updated_at: At


class Deletable(Resource):
    """A resource that is soft-deleted: its events outlive it, its GET answers 404."""

    deleted_at: At | None = None


class Deleted(BaseModel):
    """What a DELETE answers."""

    model_config = ConfigDict(
        frozen=True,
        serialize_by_alias=True,
        alias_generator=to_camel,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={"examples": [{"id": "prod_0354xIPEOJKu0fmmxXMXnj", "deleted": True}]},
    )
    id: str
    deleted: Literal[True] = True


R = TypeVar("R", bound=Resource)


# What `writes.expected_version` answers when If-Match and the body's `version` differ: no
# resource is at it, so the write is a 409 that names the current version.
DISAGREE = -1


def check_version(resource: Resource, expected: int | None) -> None:
    if expected is not None and expected != resource.version:
        said = "If-Match and the body's version disagree" if expected == DISAGREE else ""
        raise VersionConflict(
            f"{said + '; the' if said else 'The'} resource is at version {resource.version};"
            " fetch it and retry.",
            details={"currentVersion": resource.version},
        )


def revise(
    resource: R, changes: Mapping[str, Any], *, expected: int | None, now: datetime
) -> tuple[R, list[str]]:
    """`resource` with `changes` (by attribute name) applied, and the camelCase names of the
    fields that really changed; unchanged, it keeps its version (no event is appended)."""
    check_version(resource, expected)
    changed = [
        to_camel(name) for name, value in changes.items() if getattr(resource, name) != value
    ]
    if not changed:
        return resource, []
    revised = resource.model_copy(
        update={**changes, "version": resource.version + 1, "updated_at": now}
    )
    return revised, changed


def mark_deleted(resource: R, *, expected: int | None, now: datetime) -> R:
    check_version(resource, expected)
    return resource.model_copy(
        update={"version": resource.version + 1, "updated_at": now, "deleted_at": now}
    )
