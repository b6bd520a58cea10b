"""The organization's plan, and its security history: every action on keys and members
(the gateway's) and on webhooks (the webhooks service's), merged newest first, with who
did it. Each backend pages on its own; the page keeps one cursor per source in its URL
and takes from each only what the merged page shows, so nothing is skipped or repeated."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from libs.common.errors import ServiceUnavailable
from libs.common.events import Mode
from libs.common.logging import get_logger
from libs.common.roles import Action
from services.dashboard.adapters.backends import BackendError
from services.dashboard.http.callers import GATEWAY, WEBHOOKS, who
from services.dashboard.http.pages import PREFIX, PageRoutes
from services.dashboard.http.when import parse, when

log = get_logger(__name__)
routes = PageRoutes()

PAGE_SIZE = 50
END = "end"  # a source's cursor once it has nothing more to give
OPERATOR = "operator"

Fetch = Callable[[str | None], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Source:
    key: str  # its cursor's query parameter
    fetch: Fetch
    optional: bool  # the page shows without it, saying so


def _sources(request: web.Request) -> list[Source]:
    def gateway(cursor: str | None) -> Awaitable[dict[str, Any]]:
        path = "/internal/v1/security"
        return request.app[GATEWAY].page(who(request), path, limit=PAGE_SIZE, before=cursor)

    def webhooks(mode: Mode) -> Fetch:
        # Webhook endpoints belong to one mode each; the history is the organization's.
        def fetch(cursor: str | None) -> Awaitable[dict[str, Any]]:
            identity = replace(who(request), mode=mode)
            path = "/internal/v1/security"
            return request.app[WEBHOOKS].page(identity, path, limit=PAGE_SIZE, before=cursor)

        return fetch

    return [
        Source("gateway", gateway, optional=False),
        Source("webhooksLive", webhooks("live"), optional=True),
        Source("webhooksTest", webhooks("test"), optional=True),
    ]


def _actor(entry: dict[str, Any], emails: dict[str, str]) -> dict[str, Any]:
    """The gateway names an actor {id, email}; the webhooks service by id alone."""
    actor = entry.get("actor")
    actor_id = str((actor.get("id") if isinstance(actor, dict) else actor) or OPERATOR)
    email = (actor.get("email") if isinstance(actor, dict) else None) or emails.get(actor_id)
    if actor_id == OPERATOR:
        label = "operator (CLI)"
    elif email:
        label = email
    elif actor_id.startswith("key_"):
        label = f"API key {actor_id}"
    else:
        label = actor_id
    return {"id": actor_id, "email": email, "label": label}


async def _emails(request: web.Request) -> dict[str, str]:
    listed = await request.app[GATEWAY].call(who(request), "GET", "/internal/v1/members")
    return {m["id"]: m["email"] for m in listed or []}


async def _pages(
    request: web.Request, sources: list[Source]
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    pages: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for source in sources:
        cursor = request.query.get(source.key, "")
        if cursor == END:
            continue
        try:
            pages[source.key] = await source.fetch(cursor or None)
        except (BackendError, ServiceUnavailable) as exc:
            if not source.optional:
                raise
            # That service keeps no history for the dashboard (yet): no such route (404),
            # or one that does not name the dashboard as its caller. Anything else: the
            # page says that part is missing.
            absent = isinstance(exc, BackendError) and (
                exc.status == 404 or exc.code == "CALLER_NOT_ALLOWED"
            )
            if not absent:
                log.warning("security.source_failed", source=source.key, status=exc.status)
                missing.append(source.key)
    return pages, missing


def _merge(
    pages: dict[str, dict[str, Any]], query: dict[str, str]
) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, str]]:
    """The newest PAGE_SIZE of all sources' pages, and each source's next cursor."""
    tagged: list[tuple[datetime, str, dict[str, Any]]] = [
        (parse(entry["at"]), key, entry) for key, page in pages.items() for entry in page["data"]
    ]
    tagged.sort(key=lambda t: t[0], reverse=True)
    left = {key: len(page["data"]) for key, page in pages.items()}
    shown: list[tuple[datetime, str, dict[str, Any]]] = []
    for item in tagged:
        if len(shown) == PAGE_SIZE:
            break
        shown.append(item)
        left[item[1]] -= 1
        if left[item[1]] == 0 and pages[item[1]]["hasMore"]:
            # That source's next page may hold entries newer than the others' rest: the
            # merged page ends here, and the next one starts from its cursor.
            break
    cursors: dict[str, str] = {}
    for key, page in pages.items():
        taken = [entry for _, k, entry in shown if k == key]
        if len(taken) < len(page["data"]):
            # Left over on this page: the next one starts after what was shown.
            cursors[key] = str(taken[-1]["id"]) if taken else query.get(key, "")
        elif page["hasMore"] and page["data"]:
            cursors[key] = str(page["nextCursor"] or taken[-1]["id"])
        else:
            cursors[key] = END
    return [(key, entry) for _, key, entry in shown], cursors


@routes.page("security", "GET", "/security", action=Action.READ, title="Security history")
async def security(request: web.Request) -> dict[str, Any]:
    sources = _sources(request)
    pages, missing = await _pages(request, sources)
    shown, cursors = _merge(pages, dict(request.query))
    # Webhook entries name a member by id alone; the members list knows their email.
    needs_emails = any(key != "gateway" for key, _ in shown)
    emails = await _emails(request) if needs_emails else {}
    entries = [
        {
            "id": entry["id"],
            "at": entry["at"],
            "when": when(entry["at"]),
            "type": entry["type"],
            "actor": _actor(entry, emails),
            "mode": entry.get("mode"),
            "subjectId": entry.get("subjectId"),
            "summary": entry.get("summary") or entry["type"],
        }
        for _, entry in shown
    ]
    ended = {s.key: END for s in sources if request.query.get(s.key) == END or s.key in missing}
    following = {**ended, **cursors}
    more = any(value != END for value in following.values())
    return {
        "entries": entries,
        "missing": missing,
        "older": f"{PREFIX}/security?{urlencode(following)}" if more else None,
        "newest": bool(request.query),
    }


@routes.page("plan", "GET", "/plan", action=Action.READ, title="Plan")
async def plan(request: web.Request) -> dict[str, Any]:
    organization = await request.app[GATEWAY].call(who(request), "GET", "/internal/v1/organization")
    return {"organization": organization, "plans": organization["plans"]}
