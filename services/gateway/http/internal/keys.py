"""API keys for the dashboard: list, create, revoke, roll, in the caller's organization and
the page's mode, as the member acting (their role is checked by the use cases)."""

from typing import Annotated, Any

from aiohttp import web
from pydantic import Field

from libs.common.clock import rfc3339, utcnow
from libs.common.errors import ValidationFailed
from libs.common.identity import callers
from libs.common.validation import ApiModel, parse_body
from libs.common.web import POOL, ok
from services.gateway.domain.access import SCOPES
from services.gateway.domain.model import KEY_NAME_MAX, MAX_GRACE, OPERATOR, ApiKey
from services.gateway.http.internal.auth import acting, caller
from services.gateway.service import Access, KeyListing

routes = web.RouteTableDef()

# Ten years: far beyond any key's sensible life, and well inside a timestamp's range.
MAX_EXPIRY = 10 * 365 * 24 * 3600


class KeyCreate(ApiModel):
    # Length and blanks are the domain's check (trimmed, 1-100), which names the field too;
    # this bound only keeps a huge body from reaching it.
    name: Annotated[str, Field(max_length=KEY_NAME_MAX * 4)]
    scopes: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=64)] | None
    expires_in_seconds: Annotated[int, Field(ge=60, le=MAX_EXPIRY)] | None = None


class KeyRoll(ApiModel):
    grace_seconds: Annotated[int, Field(ge=0, le=int(MAX_GRACE.total_seconds()))]


def _time(value: Any) -> str | None:
    return rfc3339(value) if value is not None else None


def key_read(listing: KeyListing) -> dict[str, Any]:
    """A key as the dashboard shows it: the prefix masked, never a secret character."""
    key: ApiKey = listing.key
    return {
        "id": key.id,
        "name": key.name,
        "mode": key.mode,
        "prefix": f"nxp_{key.mode}_{key.public_id}_…",
        "scopes": sorted(key.scopes),
        "allScopes": key.scopes >= SCOPES,
        "createdBy": {
            "id": key.created_by,
            "email": None if key.created_by == OPERATOR else listing.creator_email,
        },
        "createdAt": rfc3339(key.created_at),
        "lastUsedAt": _time(listing.last_used_at),
        "expiresAt": _time(key.expires_at),
        "revokedAt": _time(key.revoked_at),
        "rolledFrom": key.rolled_from,
        "status": key.status(now=utcnow()),
    }


def _access(request: web.Request) -> Access:
    return Access(pool=request.app[POOL])


@routes.get("/internal/v1/keys")
@callers("dashboard")
async def list_keys(request: web.Request) -> web.Response:
    by = await acting(request)
    listings = await _access(request).key_listings(
        org_id=by.organization_id, mode=caller(request).mode, by=by
    )
    return ok([key_read(listing) for listing in listings])


@routes.post("/internal/v1/keys")
@callers("dashboard")
async def create_key(request: web.Request) -> web.Response:
    body = await parse_body(request, KeyCreate)
    if body.scopes == []:
        # The domain reads no scopes as all of them (the CLI's default); here "all" is said
        # with null, so an empty choice is a mistake to name, not a key with every scope.
        raise ValidationFailed("Choose at least one scope, or all of them.", field="scopes")
    by = await acting(request)
    access = _access(request)
    key, token = await access.create_key(
        org_id=by.organization_id,
        mode=caller(request).mode,
        scopes=body.scopes,
        expires_in=body.expires_in_seconds,
        name=body.name,
        by=by,
    )
    listing = KeyListing(key, None, by.email)
    return ok({"key": key_read(listing), "secret": token}, status=201)


@routes.post("/internal/v1/keys/{id}/revoke")
@callers("dashboard")
async def revoke_key(request: web.Request) -> web.Response:
    by = await acting(request)
    access = _access(request)
    key = await access.revoke_key(key_id=request.match_info["id"], by=by, mode=caller(request).mode)
    return ok({"key": key_read(await access.listing(key_id=key.id))})


@routes.post("/internal/v1/keys/{id}/roll")
@callers("dashboard")
async def roll_key(request: web.Request) -> web.Response:
    body = await parse_body(request, KeyRoll)
    by = await acting(request)
    access = _access(request)
    new, token, old = await access.roll_key(
        key_id=request.match_info["id"],
        grace_seconds=body.grace_seconds,
        by=by,
        mode=caller(request).mode,
    )
    return ok(
        {
            "key": key_read(KeyListing(new, None, by.email)),
            "secret": token,
            "previous": key_read(await access.listing(key_id=old.id)),
        },
        status=201,
    )
