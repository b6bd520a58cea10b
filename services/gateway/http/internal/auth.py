"""Who calls the internal API: a service's signed identity (the dashboard's), and the
member it acts for."""

from aiohttp import web

from libs.common import identity
from libs.common.web import identity_required
from services.gateway.members import Members, Principal
from services.gateway.sessions import Sessions

PREFIX = "/internal/"
# The members' and sessions' use cases, which the internal API's routes call.
MEMBERS = web.AppKey("members", Members)
SESSIONS = web.AppKey("sessions", Sessions)


# The dashboard's calls: a signed identity, as on every service's internal routes.
internal_identity = identity_required((PREFIX,))


def caller(request: web.Request) -> identity.Identity:
    return request[identity.IDENTITY]


async def acting(request: web.Request) -> Principal:
    """The member the dashboard acts for (the identity's `key_id`), as they are now."""
    who = caller(request)
    return await request.app[MEMBERS].principal(member_id=who.key_id, org_id=who.organization_id)
