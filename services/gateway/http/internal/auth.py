"""Who calls the internal API: a service's signed identity (the dashboard's), and the
member it acts for."""

from typing import Any

from aiohttp import web

from libs.common import identity
from libs.common.web import KEYRING, REQUEST_ID
from services.gateway.members import Members, Principal
from services.gateway.sessions import Sessions

PREFIX = "/internal/"
# The members' and sessions' use cases, which the internal API's routes call.
MEMBERS = web.AppKey("members", Members)
SESSIONS = web.AppKey("sessions", Sessions)


@web.middleware
async def internal_identity(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.path.startswith(PREFIX):
        request[identity.IDENTITY] = request.app[KEYRING].verify(
            request.headers.get(identity.HEADER, ""),
            accepted=identity.callers_of(request),
            request_id=request[REQUEST_ID],
        )
    return await handler(request)


def caller(request: web.Request) -> identity.Identity:
    return request[identity.IDENTITY]


async def acting(request: web.Request) -> Principal:
    """The member the dashboard acts for (the identity's `key_id`), as they are now."""
    who = caller(request)
    return await request.app[MEMBERS].principal(member_id=who.key_id, org_id=who.organization_id)
