"""The security page's merge of its sources' pages: followed page by page, every entry of
every source appears once, newest first, whatever the sources' paces."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.dashboard.http import security
from services.dashboard.http.security import END, _actor, _merge

START = datetime(2026, 1, 1, tzinfo=UTC)


def _source(name: str, seconds: list[int]) -> list[dict[str, Any]]:
    # Sub-second times on some: RFC 3339 strings with and without fractions do not sort as
    # text, so the merge must compare times, not strings.
    return [
        {"id": f"{name}{s:04d}", "at": (START + timedelta(seconds=s / 2)).isoformat()}
        for s in sorted(seconds, reverse=True)
    ]


def _page(entries: list[dict[str, Any]], cursor: str, size: int) -> dict[str, Any]:
    """A backend's keyset page: the entries after `cursor` (an id), newest first."""
    start = next(i + 1 for i, e in enumerate(entries) if e["id"] == cursor) if cursor else 0
    data = entries[start : start + size]
    more = start + size < len(entries)
    return {"data": data, "hasMore": more, "nextCursor": data[-1]["id"] if more else None}


@pytest.mark.parametrize("backend_size", [2, 3, 7])
def test_following_the_pages_shows_every_entry_once_newest_first(
    monkeypatch: pytest.MonkeyPatch, backend_size: int
) -> None:
    monkeypatch.setattr(security, "PAGE_SIZE", 3)
    sources = {
        "gateway": _source("g", [1, 2, 3, 10, 11, 12, 13, 30]),
        "webhooksLive": _source("w", [4, 5, 14, 15, 16, 17, 18, 19]),
        "webhooksTest": _source("t", [31]),
    }
    query: dict[str, str] = {}
    seen: list[str] = []
    for _ in range(20):
        pages = {
            key: _page(entries, query.get(key, ""), min(backend_size, 3))
            for key, entries in sources.items()
            if query.get(key) != END
        }
        shown, cursors = _merge(pages, query)
        seen += [entry["id"] for _, entry in shown]
        query = {**{k: v for k, v in query.items() if v == END}, **cursors}
        if all(v == END for v in query.values()):
            break
    everything = sorted(
        (e for entries in sources.values() for e in entries),
        key=lambda e: datetime.fromisoformat(e["at"]),
        reverse=True,
    )
    assert seen == [e["id"] for e in everything]


def test_an_actor_is_named_by_email_operator_or_key() -> None:
    emails = {"mem_a": "ann@example.com"}
    assert _actor({"actor": {"id": "operator", "email": None}}, emails)["label"] == "operator (CLI)"
    assert _actor({"actor": "mem_a"}, emails)["label"] == "ann@example.com"
    assert _actor({"actor": {"id": "mem_b", "email": "bo@example.com"}}, emails)["email"] == (
        "bo@example.com"
    )
    assert _actor({"actor": "key_x"}, emails)["label"] == "API key key_x"
    assert _actor({}, emails)["id"] == "operator"  # older events name no actor
