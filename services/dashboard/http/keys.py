"""API keys: the list for the page's mode, and creating, revoking and rolling a key. A new
key's token is rendered once, in the answer to the POST that made it (no redirect, nothing
stored): the gateway keeps only its hash, so no later page can show it again."""

from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from libs.common.roles import Action, may
from services.dashboard.adapters.backends import BackendError
from services.dashboard.http.callers import GATEWAY, who
from services.dashboard.http.pages import STATUS, PageRoutes, role, see_other, url

routes = PageRoutes()

RESOURCES = ("products", "categories", "orders", "customers", "inventory", "webhooks")
# Every scope the form offers, in the order it shows them (CONVENTIONS: scopes).
SCOPES = [f"{r}:{a}" for r in RESOURCES for a in ("read", "write")] + ["events:read"]
DAY = 86400
EXPIRIES = {"never": None, "7": 7 * DAY, "30": 30 * DAY, "90": 90 * DAY}
# A roll's grace choices (issue 14: up to 7 days); 0 stops the old key at once.
GRACES = [("0", "Now"), ("3600", "1 hour"), ("86400", "24 hours"), ("259200", "3 days"),
          ("604800", "7 days")]  # fmt: skip
_BLANK_FORM = {"name": "", "access": "all", "scopes": [], "expires": "never"}


async def _keys(request: web.Request) -> list[dict[str, Any]]:
    keys: list[dict[str, Any]] = await request.app[GATEWAY].call(
        who(request), "GET", "/internal/v1/keys"
    )
    return keys


async def _page(request: web.Request, **extra: Any) -> dict[str, Any]:
    """What keys.html and key_created.html show: the list, the form, the choices."""
    return {
        "keys": await _keys(request),
        "form": _BLANK_FORM,
        "errors": {},
        "resources": RESOURCES,
        "expiries": list(EXPIRIES),
        "graces": GRACES,
        "can_manage": may(role(request), Action.MANAGE_KEYS),
        **extra,
    }


@routes.page("keys", "GET", "/{mode}/keys", action=Action.READ, title="API keys")
async def list_keys(request: web.Request) -> dict[str, Any]:
    return await _page(request, notice=request.query.get("revoked") and "The key is revoked.")


def _form(form: MultiDictProxy[Any]) -> dict[str, Any]:
    return {
        "name": str(form.get("name", "")),
        "access": "custom" if form.get("access") == "custom" else "all",
        "scopes": [s for s in form.getall("scope", []) if isinstance(s, str)],
        "expires": str(form.get("expires", "never")),
    }


def _create_body(form: dict[str, Any]) -> dict[str, Any]:
    """The gateway's body; a choice the form never offers is refused here, by field."""
    if form["expires"] not in EXPIRIES:
        raise _FormError("Choose an expiry from the list.", "expires")
    if form["access"] == "custom":
        if not form["scopes"]:
            raise _FormError("Choose at least one permission, or all of them.", "scopes")
        unknown = sorted(set(form["scopes"]) - set(SCOPES))
        if unknown:
            raise _FormError(f"Unknown permission: {', '.join(unknown)}.", "scopes")
    return {
        "name": form["name"],
        "scopes": sorted(form["scopes"]) if form["access"] == "custom" else None,
        "expiresInSeconds": EXPIRIES[form["expires"]],
    }


class _FormError(Exception):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@routes.page("keys_create", "POST", "/{mode}/keys", action=Action.MANAGE_KEYS,
             title="API key created", template="key_created.html")  # fmt: skip
async def create_key(request: web.Request) -> dict[str, Any]:
    form = _form(await request.post())
    try:
        made = await request.app[GATEWAY].call(
            who(request), "POST", "/internal/v1/keys", body=_create_body(form)
        )
    except _FormError as exc:
        return await _refused(request, 400, form, exc.field, str(exc))
    except BackendError as exc:
        if exc.status != 400:
            raise  # 403, 404: the error page
        return await _refused(request, 400, form, exc.field or "name", exc.message)
    return await _page(request, created=made["key"], secret=made["secret"], previous=None)


async def _refused(
    request: web.Request, status: int, form: dict[str, Any], field: str, message: str
) -> dict[str, Any]:
    """The list page again (key_created.html without a secret is keys.html), the form as
    it was sent, and the message next to its field."""
    request[STATUS] = status
    return await _page(request, form=form, errors={_FIELDS.get(field, field): message})


# The gateway's field names, as the form calls them.
_FIELDS = {"expiresInSeconds": "expires", "graceSeconds": "grace"}


@routes.page("keys_revoke", "POST", "/{mode}/keys/{id}/revoke", action=Action.MANAGE_KEYS,
             title="Revoke an API key")  # fmt: skip
async def revoke_key(request: web.Request) -> web.StreamResponse:
    key_id = request.match_info["id"]
    await request.app[GATEWAY].call(who(request), "POST", f"/internal/v1/keys/{key_id}/revoke")
    # Post-redirect-get: a revocation shows nothing secret, and a reload must not repost.
    raise see_other(url(request, "keys") + "?revoked=1")


@routes.page("keys_roll", "POST", "/{mode}/keys/{id}/roll", action=Action.MANAGE_KEYS,
             title="API key rolled", template="key_created.html")  # fmt: skip
async def roll_key(request: web.Request) -> dict[str, Any]:
    form = await request.post()
    grace = str(form.get("grace", ""))
    if grace not in dict(GRACES):
        return await _refused(request, 400, _BLANK_FORM, "grace", "Choose a grace from the list.")
    key_id = request.match_info["id"]
    try:
        rolled = await request.app[GATEWAY].call(
            who(request),
            "POST",
            f"/internal/v1/keys/{key_id}/roll",
            body={"graceSeconds": int(grace)},
        )
    except BackendError as exc:
        if exc.status != 409:
            raise
        return await _refused(request, 409, _BLANK_FORM, "roll", exc.message)
    return await _page(
        request, created=rolled["key"], secret=rolled["secret"], previous=rolled["previous"]
    )


@routes.page("keys_roll_back", "GET", "/{mode}/keys/{id}/roll", action=Action.READ,
             title="API keys")  # fmt: skip
async def roll_back(request: web.Request) -> web.StreamResponse:
    """The roll's answer stays at its URL (it shows the new token once, so it is no
    redirect): the live/test toggle, a reload-free revisit or a bookmark of it comes here as
    a GET, and lands on the list of keys of that mode."""
    raise see_other(url(request, "keys"))
