"""The services behind the pages: the gateway (keys, members, sessions, the request log,
usage) and the webhooks service (endpoints, deliveries, events). Every call carries an
identity this service signs for the member's organization and the page's mode; the member
is its `key_id`, so what they change is recorded as done by them."""

from typing import Any
from urllib.parse import urlencode

from libs.common import identity
from libs.common.errors import ApiError
from libs.common.internal import ServiceClient


class BackendError(ApiError):
    """What a backend refused, as it said it: the page shows the message, next to the field."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        error = body.get("error") or {}
        super().__init__(
            str(error.get("message") or "The request was refused."),
            details=dict(error.get("details") or {}),
        )
        self.status = status
        self.code = str(error.get("code") or "ERROR")

    @property
    def field(self) -> str | None:
        field = self.details.get("field")
        return str(field) if field else None


class Backend:
    def __init__(self, *, client: ServiceClient, service: str) -> None:
        self.client = client
        self.service = service

    async def call(
        self,
        who: identity.Identity,
        method: str,
        path: str,
        *,
        body: Any = None,
        query: dict[str, Any] | None = None,
    ) -> Any:
        """The answer's `data` (a 204 gives None); a 4xx or 5xx raises `BackendError`."""
        answer = await self._answer(who, method, path, body=body, query=query or {})
        return answer.get("data")

    async def page(self, who: identity.Identity, path: str, /, **query: Any) -> dict[str, Any]:
        """A list answer whole: `data`, `hasMore` and `nextCursor`. `path` is positional
        only, so a filter may be called `path` too (the request log's prefix filter)."""
        answer = await self._answer(who, "GET", path, body=None, query=query)
        pagination = answer.get("pagination") or {}
        return {
            "data": answer.get("data") or [],
            "hasMore": bool(pagination.get("hasMore")),
            "nextCursor": pagination.get("nextCursor"),
        }

    async def _answer(
        self, who: identity.Identity, method: str, path: str, *, body: Any, query: dict[str, Any]
    ) -> dict[str, Any]:
        # Empty filters are left out: a blank form field means "any".
        present = {k: v for k, v in query.items() if v not in (None, "")}
        if present:
            path = f"{path}?{urlencode(present, doseq=True)}"
        status, answer = await self.client.call(self.service, method, path, who=who, body=body)
        answer = answer if isinstance(answer, dict) else {}
        if status >= 400:
            raise BackendError(status, answer)
        return answer
