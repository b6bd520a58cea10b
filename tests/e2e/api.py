"""The end-to-end tests' API calls, through the generated client (`clients/python`).

`Till.ok` finds the operation of the route table that a method and path are, calls the
client's generated function for it, and requires its typed model to parse the answer: a
change of shape that the document does not follow (a field renamed, dropped or retyped)
breaks these tests. The raw JSON is returned, so the tests compare what the wire carries."""

import asyncio
import inspect
import re
import typing
import weakref
from datetime import datetime
from importlib import import_module
from types import ModuleType
from typing import Any

from stacknex_client import AuthenticatedClient
from stacknex_client.models import ErrorEnvelope
from yarl import URL

from libs.common import jsoncodec
from libs.contract.base import Operation
from libs.contract.routes import OPERATIONS

_PATTERNS = [
    (op, re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", op.path) + "$"))
    for op in OPERATIONS
]
# One client per event loop and key: an httpx client belongs to the loop that opened it.
_Clients = dict[tuple[str, str], AuthenticatedClient]
_CLIENTS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Clients]" = (
    weakref.WeakKeyDictionary()
)


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def operation(method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    for op, pattern in _PATTERNS:
        match = pattern.match(path)
        if op.method == method and match is not None:
            return op, match.groupdict()
    return None


def generated(op: Operation) -> ModuleType:
    return import_module(f"stacknex_client.api.{op.path.split('/')[3]}.{snake(op.id)}")


def _client(base: str, key: str) -> AuthenticatedClient:
    per_loop = _CLIENTS.setdefault(asyncio.get_running_loop(), {})
    if (base, key) not in per_loop:
        per_loop[(base, key)] = AuthenticatedClient(base_url=base, token=key, verify_ssl=False)
    return per_loop[(base, key)]


def _argument(annotation: Any, value: str) -> Any:
    # Query values arrive as text; the generated function formats datetimes itself.
    if datetime in typing.get_args(annotation) or annotation is datetime:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def _body_model(parameter: inspect.Parameter) -> Any:
    kinds = typing.get_args(parameter.annotation) or (parameter.annotation,)
    return next(k for k in kinds if hasattr(k, "from_dict"))


async def call(
    base: str,
    key: str,
    method: str,
    path_qs: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any] | None:
    """The status and JSON of the call made through the client, or None when the call is
    no documented operation (the test then makes it itself)."""
    url = URL(path_qs)
    found = operation(method, url.path)
    if found is None:
        return None
    op, path_params = found
    module = generated(op)
    signature = inspect.signature(module._get_kwargs)
    kwargs: dict[str, Any] = {snake(k): v for k, v in path_params.items()}
    for name, value in url.query.items():
        argument = snake(name)
        if argument not in signature.parameters:  # the generator renames builtins: type_
            argument += "_"
        kwargs[argument] = _argument(signature.parameters[argument].annotation, value)
    for name, value in (headers or {}).items():
        kwargs[snake(name.replace("-", ""))] = value
    if body is not None:
        kwargs["body"] = _body_model(signature.parameters["body"]).from_dict(body)
    response = await module.asyncio_detailed(client=_client(base, key), **kwargs)
    data = jsoncodec.loads(response.content) if response.content else None
    if 200 <= response.status_code < 300:
        parsed = response.parsed
        assert parsed is not None and not isinstance(parsed, ErrorEnvelope), (
            f"{op.id}: the client could not read a {response.status_code} answer: {data}"
        )
    return response.status_code, data
