"""Iterating over a paginated list (hand-written; regeneration keeps this file).

Every list answers `{"success": true, "data": [...], "pagination": {"hasMore": bool,
"nextCursor": "<id>" | null}}` and takes `startingAfter=<id>` for the next page. `paginate`
drives any generated list operation (the module, e.g. `api.products.list_products`, or its
`sync_detailed`) page by page and yields the typed items; `apaginate` is the same over
`asyncio_detailed`."""

import inspect
import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from http import HTTPStatus
from types import ModuleType
from typing import Any

from .types import Response, Unset


class ApiError(Exception):
    """An error envelope (or a response that is not the documented page)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Mapping[str, Any] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details or {})
        self.request_id = request_id

    @classmethod
    def from_response(cls, response: Response[Any]) -> "ApiError":
        request_id = response.headers.get("X-Request-Id")
        try:
            body = json.loads(response.content)
            error = body["error"]
            return cls(
                int(response.status_code),
                str(error["code"]),
                str(error["message"]),
                error.get("details") if isinstance(error.get("details"), Mapping) else None,
                request_id,
            )
        except (ValueError, KeyError, TypeError):
            text = response.content[:200].decode(errors="replace")
            return cls(int(response.status_code), "UNEXPECTED_RESPONSE", text, None, request_id)


def paginate(
    operation: ModuleType | Callable[..., Response[Any]], *, client: Any, **params: Any
) -> Iterator[Any]:
    """Yields every item of every page, following `pagination.nextCursor` until `hasMore` is
    false. `params` are the operation's own (filters, `limit`); `starting_after` may start
    mid-list. Raises ApiError on an error envelope, at the page that returned it."""
    fetch = _operation(operation, "sync_detailed")
    while True:
        items, cursor = _page(fetch(client=client, **params))
        yield from items
        if cursor is None:
            return
        params["starting_after"] = cursor


async def apaginate(
    operation: ModuleType | Callable[..., Any], *, client: Any, **params: Any
) -> AsyncIterator[Any]:
    """`paginate` for asyncio: `async for item in apaginate(list_orders, client=client)`."""
    fetch = _operation(operation, "asyncio_detailed")
    while True:
        items, cursor = _page(await fetch(client=client, **params))
        for item in items:
            yield item
        if cursor is None:
            return
        params["starting_after"] = cursor


def _operation(operation: ModuleType | Callable[..., Any], name: str) -> Callable[..., Any]:
    fetch = getattr(operation, name) if isinstance(operation, ModuleType) else operation
    if "starting_after" not in inspect.signature(fetch).parameters:
        label = getattr(operation, "__name__", repr(operation))
        raise TypeError(f"{label} is not a paginated list operation (no starting_after)")
    return fetch


def _page(response: Response[Any]) -> tuple[list[Any], str | None]:
    """The page's items and the cursor of the next page (None after the last)."""
    parsed = response.parsed
    if response.status_code != HTTPStatus.OK or getattr(parsed, "success", None) is not True:
        raise ApiError.from_response(response)
    data = getattr(parsed, "data", None)
    pagination = getattr(parsed, "pagination", None)
    if not isinstance(data, list) or pagination is None:
        raise ApiError(int(response.status_code), "UNEXPECTED_RESPONSE", "not a list page")
    if not pagination.has_more:
        return data, None
    cursor = pagination.next_cursor
    if not cursor or isinstance(cursor, Unset):
        raise ApiError(
            int(response.status_code), "UNEXPECTED_RESPONSE", "hasMore without a nextCursor"
        )
    return data, str(cursor)
