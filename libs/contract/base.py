"""What an operation of the route table is made of, and the usual ones of a resource."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from libs.common.errors import ApiError
from libs.common.resources import Deleted

Model = type[BaseModel]
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]


@dataclass(frozen=True)
class Operation:
    """One public operation: everything the gateway routes by, the service serves, and the
    document describes."""

    id: str  # operationId: `listProducts`, the generated client's method name
    method: Method
    path: str  # aiohttp template, also the metrics' `route` label
    service: str  # the service that owns it
    scope: str  # the API key scope it needs
    summary: str
    params: Mapping[str, Any] = field(default_factory=dict)  # path parameter -> its type
    query: type[BaseModel] | None = None
    headers: Mapping[str, Any] = field(default_factory=dict)  # request header -> its type
    body: type[BaseModel] | None = None
    # The model of `data` in the answer; a list's `data` is a page of them.
    response: type[BaseModel] | None = None
    page: bool = False
    status: int = 200
    # Errors this operation answers beyond those any operation may (validation, auth, …).
    errors: tuple[type[ApiError], ...] = ()
    # Answered as something other than the JSON envelope (e.g. text/event-stream).
    content_type: str = "application/json"
    # A request body the document shows (and the fuzzer starts from).
    example: Mapping[str, Any] | None = None
    description: str = ""


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


class Crud:
    """The usual operations of a resource under /api/v1/<plural>, named the usual way
    (`listProducts`, `createProduct`, `getProduct`, `replaceProduct`, `updateProduct`,
    `deleteProduct`, `listProductEvents`)."""

    def __init__(self, *, singular: str, plural: str, service: str, scope: str, id_type: Any):
        self.singular, self.plural, self.service = singular, plural, service
        # For summaries: "InventoryItem" -> "inventory item".
        self.noun = re.sub(r"(?<!^)(?=[A-Z])", " ", singular).lower()
        self.nouns = re.sub(r"(?<!^)(?=[A-Z])", " ", plural).lower()
        self.scope, self.id_type = scope, id_type
        self.collection = f"/api/v1/{plural.lower()}"
        self.item = f"{self.collection}/{{id}}"

    def _op(self, op_id: str, method: Method, path: str, write: bool, **kw: Any) -> Operation:
        params = {"id": self.id_type} if "{id}" in path else {}
        scope = f"{self.scope}:{'write' if write else 'read'}"
        return Operation(op_id, method, path, self.service, scope, params=params, **kw)

    def list(
        self, query: type[BaseModel], response: type[BaseModel] | None, **kw: Any
    ) -> Operation:
        return self._op(
            f"list{self.plural}",
            "GET",
            self.collection,
            False,
            summary=f"List {self.nouns}, newest first",
            query=query,
            response=response,
            page=True,
            **kw,
        )

    def create(
        self, body: type[BaseModel], response: type[BaseModel] | None, **kw: Any
    ) -> Operation:
        return self._op(
            f"create{self.singular}",
            "POST",
            self.collection,
            True,
            summary=f"Create {_a(self.noun)}",
            body=body,
            response=response,
            status=201,
            **kw,
        )

    def get(self, response: Model | None, **kw: Any) -> Operation:
        return self._op(
            f"get{self.singular}",
            "GET",
            self.item,
            False,
            summary=f"Retrieve {_a(self.noun)}",
            response=response,
            **kw,
        )

    def replace(
        self, body: type[BaseModel], response: type[BaseModel] | None, **kw: Any
    ) -> Operation:
        return self._op(
            f"replace{self.singular}",
            "PUT",
            self.item,
            True,
            summary=f"Replace {_a(self.noun)} (fields left out return to defaults)",
            body=body,
            response=response,
            **kw,
        )

    def update(
        self, body: type[BaseModel], response: type[BaseModel] | None, **kw: Any
    ) -> Operation:
        return self._op(
            f"update{self.singular}",
            "PATCH",
            self.item,
            True,
            summary=f"Update some fields of {_a(self.noun)}",
            body=body,
            response=response,
            **kw,
        )

    def delete(self, **kw: Any) -> Operation:
        return self._op(
            f"delete{self.singular}",
            "DELETE",
            self.item,
            True,
            summary=f"Delete {_a(self.noun)}",
            response=Deleted,
            **kw,
        )

    def events(
        self, query: type[BaseModel], response: type[BaseModel] | None, **kw: Any
    ) -> Operation:
        return self._op(
            f"list{self.singular}Events",
            "GET",
            f"{self.item}/events",
            False,
            summary=f"The {self.noun}'s own events, oldest first (survives deletion)",
            query=query,
            response=response,
            page=True,
            **kw,
        )
