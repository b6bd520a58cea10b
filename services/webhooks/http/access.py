"""Scopes of the callers the gateway did not check.

The gateway checks an API key's scope before it forwards a request (its identities name
the key: `key_…`); the dashboard calls this service directly, for a member, with the scopes
of their role (viewers: reads only). So every identity that is not an API key's has its
scope checked here, from the route table: fail closed, whatever else signs one later."""

from typing import Any

from aiohttp import web

from libs.common.errors import InsufficientScope
from libs.common.identity import IDENTITY
from libs.contract.webhooks import OPERATIONS

_SCOPES: dict[tuple[str, str], str] = {(op.method, op.path): op.scope for op in OPERATIONS}
# A member reveals a secret only with a role that manages webhooks ("viewers read everything
# but secrets"): their identity carries webhooks:read, which is enough for an API key
# (CONVENTIONS) but not for a member. Members' identities are the ones with a `mem_` id.
_MEMBER_SCOPES = {("GET", "/api/v1/webhooks/{id}/secret"): "webhooks:write"}
MEMBER_PREFIX = "mem_"
API_KEY_PREFIX = "key_"


def required_scope(method: str, path: str, *, key_id: str) -> str | None:
    if key_id.startswith(MEMBER_PREFIX) and (method, path) in _MEMBER_SCOPES:
        return _MEMBER_SCOPES[(method, path)]
    return _SCOPES.get((method, path))


@web.middleware
async def scopes(request: web.Request, handler: Any) -> web.StreamResponse:
    who = request.get(IDENTITY)
    if (
        who is not None
        and request.path.startswith("/api/")
        and not who.key_id.startswith(API_KEY_PREFIX)
    ):
        route = request.match_info.route.resource
        path = route.canonical if route is not None else ""
        scope = required_scope(request.method, path, key_id=who.key_id)
        if scope is not None and scope not in who.scopes:
            raise InsufficientScope(
                f"This caller lacks the {scope} scope.", details={"requiredScope": scope}
            )
    return await handler(request)
