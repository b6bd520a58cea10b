"""The request log and usage through the real gateway: API requests made with a key appear
in the organization's log (written off the request path, so the test polls), filtered and
paged by the internal API the dashboard calls; no other organization or mode sees them;
retention keeps what it promises; usage agrees with the requests made."""

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from redis import asyncio as aioredis

from libs.common import identity
from libs.common.clock import utcnow
from libs.common.metrics import Metrics
from libs.common.retention import purge
from services.gateway.adapters.request_log import COLUMNS
from services.gateway.adapters.retention import purges
from services.gateway.members import Members
from services.gateway.service import Access
from services.gateway.settings import Settings
from tests.conftest import REDIS_URL, keyring, until
from tests.integration.gateway.conftest import Gateway

PASSWORD = "correct horse battery staple"
PROFESSIONAL = 1_000
INTERVAL = 3600 / PROFESSIONAL  # seconds one request stays counted by the limiter


@dataclass
class Org:
    id: str
    member_id: str
    tokens: dict[str, str]  # by mode
    key_ids: dict[str, str]


async def _org(access: Access, gateway_db: asyncpg.Pool, plan: str = "professional") -> Org:
    org = await access.create_organization(name="Log Co", plan=plan)
    members = Members(pool=gateway_db, public_url="https://gw.example/")
    invitation = await members.invite(
        org_id=org.id, email=f"v-{secrets.token_hex(4)}@example.com", role="viewer"
    )
    member = await members.accept_invite(
        token=invitation.link.rsplit("/", 1)[1], name="Vera Viewer", password=PASSWORD
    )
    tokens, key_ids = {}, {}
    for mode in ("live", "test"):
        key, token = await access.create_key(org_id=org.id, mode=mode)
        tokens[mode], key_ids[mode] = token, key.id
    return Org(org.id, member.id, tokens, key_ids)


class Dashboard:
    """Calls the gateway's internal API as the dashboard does, for a member and a mode."""

    def __init__(self, gateway: Gateway, http: aiohttp.ClientSession, keys_dir: Path) -> None:
        self.gateway, self.http = gateway, http
        self.keys = keyring(keys_dir, "dashboard")

    async def get(
        self, org: Org, mode: str, route: str, /, *, expect: int = 200, **query: Any
    ) -> dict[str, Any]:
        who = identity.Identity(
            organization_id=org.id,
            mode=mode,  # type: ignore[arg-type]
            key_id=org.member_id,
            scopes=frozenset(),
            request_id="req_test",
        )
        headers = {identity.HEADER: self.keys.sign(who, audience="gateway")}
        async with self.http.get(
            self.gateway.plain_url + route, params=query, headers=headers
        ) as response:
            body = await response.json()
            assert response.status == expect, body
            return body

    async def rows(self, org: Org, mode: str, **query: Any) -> list[dict[str, Any]]:
        return (await self.get(org, mode, "/internal/v1/requests", **query))["data"]


@pytest.fixture(scope="module")
def dashboard(gateway: Gateway, http: aiohttp.ClientSession, keys_dir: Path) -> Dashboard:
    return Dashboard(gateway, http, keys_dir)


async def _call(
    gateway: Gateway, http: aiohttp.ClientSession, token: str, path: str, request_id: str
) -> int:
    headers = {"Authorization": f"Bearer {token}", "X-Request-Id": request_id}
    async with http.get(gateway.tls_url + path, headers=headers) as response:
        await response.read()
        return response.status


@pytest.fixture(scope="module")
async def traffic(
    gateway: Gateway,
    http: aiohttp.ClientSession,
    access: Access,
    gateway_db: asyncpg.Pool,
    dashboard: Dashboard,
) -> tuple[Org, list[tuple[str, str, int]], float]:
    """Three 200s and two 404s in test mode (the query strings are not to be logged), and a
    request with a wrong key, which belongs to no organization."""
    org = await _org(access, gateway_db)
    started = time.monotonic()
    made = []
    for n, (path, expected) in enumerate(
        [
            ("/api/v1/products?limit=5", 200),
            ("/api/v1/nothing-here?secret=1", 404),
            ("/api/v1/products", 200),
            ("/api/v1/nothing-here", 404),
            ("/api/v1/products?q=x", 200),
        ]
    ):
        request_id = f"log-{secrets.token_hex(3)}-{n}"
        assert await _call(gateway, http, org.tokens["test"], path, request_id) == expected
        made.append((path.partition("?")[0], request_id, expected))
    wrong = org.tokens["test"][:-4] + "0000"
    assert await _call(gateway, http, wrong, "/api/v1/products", "log-wrong-key") == 401

    async def logged() -> bool:
        return len(await dashboard.rows(org, "test")) >= len(made)

    await until(logged, timeout=10, what="the requests in the log")
    return org, made, started


async def test_requests_appear_newest_first_with_status_duration_key_and_request_id(
    dashboard: Dashboard, traffic: tuple[Org, list[tuple[str, str, int]], float]
) -> None:
    org, made, _ = traffic
    rows = await dashboard.rows(org, "test")
    assert [(r["path"], r["requestId"], r["status"]) for r in rows] == list(reversed(made))
    for row in rows:
        assert row["method"] == "GET"
        assert row["keyId"] == org.key_ids["test"]
        assert 0 < row["durationMs"] < 10_000
        assert row["at"].endswith("Z")
    assert [r["at"] for r in rows] == sorted((r["at"] for r in rows), reverse=True)


async def test_filters_by_status_class_and_path_prefix(
    dashboard: Dashboard, traffic: tuple[Org, list[tuple[str, str, int]], float]
) -> None:
    org, made, _ = traffic
    errors = await dashboard.rows(org, "test", status="4xx")
    assert {r["requestId"] for r in errors} == {rid for _, rid, s in made if s == 404}
    assert {r["status"] for r in await dashboard.rows(org, "test", status="2xx")} == {200}
    assert await dashboard.rows(org, "test", status="5xx") == []
    products = await dashboard.rows(org, "test", path="/api/v1/prod")
    assert {r["path"] for r in products} == {"/api/v1/products"} and len(products) == 3
    # LIKE's wildcards are literal: `_` matches only an underscore.
    assert await dashboard.rows(org, "test", path="/api/v1/prod_cts") == []
    both = await dashboard.rows(org, "test", status="4xx", path="/api/v1/nothing")
    assert len(both) == 2


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "6xx"}, "status"),
        ({"status": "404"}, "status"),
        ({"path": "api/v1"}, "path"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"before": "yesterday"}, "before"),
        ({"colour": "red"}, "colour"),
    ],
)
async def test_a_bad_filter_is_a_400_naming_the_field(
    dashboard: Dashboard,
    traffic: tuple[Org, list[tuple[str, str, int]], float],
    query: dict[str, str],
    field: str,
) -> None:
    org, _, _ = traffic
    body = await dashboard.get(org, "test", "/internal/v1/requests", expect=400, **query)
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert body["error"]["details"]["field"] == field


async def test_pages_follow_each_other_without_gaps_or_repeats(
    dashboard: Dashboard, traffic: tuple[Org, list[tuple[str, str, int]], float]
) -> None:
    org, made, _ = traffic
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        query: dict[str, Any] = {"limit": "2", **({"before": cursor} if cursor else {})}
        page = await dashboard.get(org, "test", "/internal/v1/requests", **query)
        seen += [r["requestId"] for r in page["data"]]
        cursor = page["pagination"]["nextCursor"]
        assert page["pagination"]["hasMore"] is (cursor is not None)
        if cursor is None:
            break
    assert seen == [rid for _, rid, _ in reversed(made)]


async def test_another_organization_and_the_other_mode_see_none_of_them(
    dashboard: Dashboard,
    traffic: tuple[Org, list[tuple[str, str, int]], float],
    access: Access,
    gateway_db: asyncpg.Pool,
) -> None:
    org, _, _ = traffic
    assert await dashboard.rows(org, "live") == []
    other = await _org(access, gateway_db)
    assert await dashboard.rows(other, "test") == []
    # The other organization's member cannot name the first organization either: the
    # identity's organization must be the member's own (the dashboard signs both).
    forged = Org(org.id, other.member_id, {}, {})
    body = await dashboard.get(forged, "test", "/internal/v1/requests", expect=401)
    assert body["error"]["code"] == "AUTHENTICATION_REQUIRED"


async def test_usage_agrees_with_the_requests_made(
    dashboard: Dashboard, traffic: tuple[Org, list[tuple[str, str, int]], float]
) -> None:
    org, made, started = traffic
    body = await dashboard.get(org, "test", "/internal/v1/usage")
    usage = body["data"]
    assert (usage["plan"], usage["limit"]) == ("professional", PROFESSIONAL)
    # Each request stays counted 3.6 s under the limiter's sliding window: all of them are
    # counted unless the test took longer than that since the first.
    drained = int((time.monotonic() - started) // INTERVAL)
    assert len(made) - drained <= usage["used"] <= len(made)
    assert usage["remaining"] == PROFESSIONAL - usage["used"]
    resets = datetime.fromisoformat(usage["resetsAt"].replace("Z", "+00:00"))
    assert utcnow() - timedelta(seconds=2) <= resets <= utcnow() + timedelta(seconds=20)
    hours = usage["hours"]
    assert len(hours) == 24
    assert hours == sorted(hours, key=lambda h: h["hour"])
    current = utcnow().replace(minute=0, second=0, microsecond=0)
    assert hours[-1]["hour"] == current.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The requests may straddle an hour's turn: the last two hours hold them all.
    assert sum(h["requests"] for h in hours) == len(made)
    assert sum(h["errors"] for h in hours) == sum(1 for *_, s in made if s >= 400)
    # Reading the usage spends nothing.
    again = (await dashboard.get(org, "test", "/internal/v1/usage"))["data"]
    assert again["used"] <= usage["used"]
    live = (await dashboard.get(org, "live", "/internal/v1/usage"))["data"]
    assert live["used"] == 0 and sum(h["requests"] for h in live["hours"]) == 0


async def test_a_rate_limited_request_is_logged_and_usage_shows_the_hour_spent(
    gateway: Gateway,
    http: aiohttp.ClientSession,
    access: Access,
    gateway_db: asyncpg.Pool,
    dashboard: Dashboard,
) -> None:
    org = await _org(access, gateway_db)
    # The limiter's state as after a whole hour of requests (its TAT one window ahead),
    # written directly rather than with 1,000 requests.
    redis = aioredis.Redis.from_url(REDIS_URL)
    now_us = int(time.time() * 1e6)
    interval_us = 3600 * 1_000_000 // PROFESSIONAL
    await redis.hset(
        f"stacknex:ratelimit:{org.id}:test",
        mapping={"tat": str(now_us + 3600 * 1_000_000), "interval": str(interval_us)},
    )
    await redis.expire(f"stacknex:ratelimit:{org.id}:test", 3700)
    await redis.aclose()
    usage = (await dashboard.get(org, "test", "/internal/v1/usage"))["data"]
    assert (usage["used"], usage["remaining"]) == (PROFESSIONAL, 0)
    assert await _call(gateway, http, org.tokens["test"], "/api/v1/products", "log-429") == 429

    async def logged() -> bool:
        return [r["status"] for r in await dashboard.rows(org, "test")] == [429]

    await until(logged, timeout=10, what="the 429 in the log")
    starter = await _org(access, gateway_db, plan="starter")
    assert await _call(gateway, http, starter.tokens["live"], "/api/v1/products", "log-403") == 403
    usage = (await dashboard.get(starter, "live", "/internal/v1/usage"))["data"]
    assert usage["plan"] == "starter" and usage["limit"] is None and usage["remaining"] is None

    async def refused() -> bool:
        return [r["status"] for r in await dashboard.rows(starter, "live")] == [403]

    await until(refused, timeout=10, what="the 403 PLAN_REQUIRED in the log")


async def _rows(
    gateway_db: asyncpg.Pool, org_id: str, mode: str, *, count: int, age: timedelta
) -> None:
    """`count` rows, one a second going back from `age` ago."""
    start = datetime.now(UTC) - age
    await gateway_db.copy_records_to_table(
        "request_log",
        records=[
            (
                start - timedelta(seconds=n),
                org_id,
                mode,
                "key_x",
                "GET",
                "/api/v1/x",
                200,
                1.0,
                f"r{n}",
            )
            for n in range(count)
        ],
        columns=COLUMNS,
    )


async def test_retention_keeps_the_last_24_hours_and_the_newest_rows_of_each_group(
    gateway_db: asyncpg.Pool, database_url: str
) -> None:
    keep_rows = 100  # the setting, lowered from 10,000 so that the test writes few rows
    settings = Settings.model_construct(request_log_keep_rows=keep_rows)
    old = timedelta(hours=25)
    full, mixed, small = (f"org_keep{secrets.token_hex(6)}" for _ in range(3))
    await _rows(gateway_db, full, "test", count=150, age=old)  # 50 beyond the newest 100
    await _rows(gateway_db, mixed, "live", count=200, age=timedelta(hours=1))
    await _rows(gateway_db, mixed, "live", count=50, age=old)  # old and beyond the newest
    await _rows(gateway_db, small, "test", count=30, age=old)  # old, but the newest 30
    before = await gateway_db.fetchval("SELECT count(*) FROM request_log")
    purged = await purge(
        dsn=database_url,
        schema="gateway",
        purges=[p for p in purges(settings) if p.table == "request_log"],
        batch_size=7,  # small batches: the walk goes on across groups and within one
        metrics=Metrics("gateway"),
        pause=0,
    )
    assert purged == {"request_log": 100}
    assert await gateway_db.fetchval("SELECT count(*) FROM request_log") == before - 100

    async def left(org_id: str) -> list[str]:
        rows = await gateway_db.fetch(
            "SELECT request_id FROM request_log WHERE organization_id = $1 ORDER BY at DESC",
            org_id,
        )
        return [r["request_id"] for r in rows]

    assert await left(full) == [f"r{n}" for n in range(100)]  # the newest 100
    assert len(await left(mixed)) == 200  # every row of the last 24 h, though beyond 100
    assert len(await left(small)) == 30
