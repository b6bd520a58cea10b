"""The identity a page's backend calls carry, and the two backends."""

from aiohttp import web

from libs.common.identity import Identity
from libs.common.web import REQUEST_ID
from services.dashboard.adapters.backends import Backend
from services.dashboard.http.pages import VISITOR, mode

GATEWAY = web.AppKey("gateway_backend", Backend)
WEBHOOKS = web.AppKey("webhooks_backend", Backend)

# What a member's role lets the dashboard ask the webhooks service for: the page checks the
# role first (domain/pages.py); these scopes are the backend's own second check.
_SCOPES = {
    "viewer": frozenset({"webhooks:read", "events:read"}),
    "developer": frozenset({"webhooks:read", "webhooks:write", "events:read"}),
    "owner": frozenset({"webhooks:read", "webhooks:write", "events:read"}),
}


def who(request: web.Request) -> Identity:
    """The signed-in member, for their organization, in the page's mode."""
    member = request[VISITOR].member
    if member is None:
        return anonymous(request)
    return Identity(
        organization_id=member.organization_id,
        mode="test" if mode(request) == "test" else "live",
        key_id=member.member_id,
        scopes=_SCOPES.get(member.role, frozenset()),
        request_id=request[REQUEST_ID],
    )


def anonymous(request: web.Request) -> Identity:
    """Nobody yet (signing in, accepting an invite): the gateway answers only those routes."""
    return Identity(
        organization_id="",
        mode="live",
        key_id="",
        scopes=frozenset(),
        request_id=request[REQUEST_ID],
    )
