"""The whole platform as `make run` starts it: five processes under the supervisor, against
the test database and vhost, checked from outside over HTTP, SQL and AMQP."""

import asyncio
import os
import signal
import subprocess

import jwt

from cli.registry import SERVICES, load_spec
from libs.common import jsoncodec
from libs.common.db import create_pool
from libs.common.events import NewEvent
from libs.common.eventstore import EventStore
from tests.conftest import until
from tests.e2e.conftest import Platform, answers, cli, client


async def test_every_service_is_alive_ready_and_measured(platform: Platform) -> None:
    async with client() as http:
        for name in SERVICES:
            async with http.get(platform.ops_url(name, "/healthz")) as response:
                assert response.status == 200
            # The dashboard keeps no data: no database, no broker, nothing to publish.
            stateful = load_spec(name).database
            async with http.get(platform.ops_url(name, "/readyz")) as response:
                assert response.status == 200
                checks = (await response.json())["data"]["checks"]
                assert {"postgres", "rabbitmq"} <= set(checks) or not stateful

            async with http.get(platform.ops_url(name, "/metrics")) as response:
                text = await response.text()
                assert "stacknex_http_requests_total" in text
                assert "stacknex_publish_lag_seconds" in text or not stateful


async def test_no_public_port_serves_the_operational_endpoints(platform: Platform) -> None:
    async with client() as http:
        for name in SERVICES:
            for path in ("/healthz", "/readyz", "/metrics"):
                async with http.get(platform.url(name, path)) as response:
                    assert response.status == 404, (name, path)
                    assert (await response.json())["error"]["code"] == "NOT_FOUND"


async def test_an_event_appended_in_one_service_reaches_the_webhooks_service(
    platform: Platform, database_url: str
) -> None:
    pool = await create_pool(database_url, schema="catalog")
    webhooks = await create_pool(database_url, schema="webhooks")
    try:
        store = EventStore(schema="catalog")
        async with pool.acquire() as conn, conn.transaction():
            [event] = await store.append(
                conn,
                stream_id="prod_e2e",
                expected_version=0,
                events=[
                    NewEvent(
                        type="product.created",
                        data={"id": "prod_e2e", "price": 4.99},
                        organization_id="org_e2e",
                        mode="live",
                    )
                ],
            )
        await until(
            lambda: webhooks.fetchval("SELECT count(*) = 1 FROM event_log WHERE id = $1", event.id),
            what="the event in the webhooks log",
        )
        body = await webhooks.fetchval("SELECT body FROM event_log WHERE id = $1", event.id)
        assert body["event"] == "product.created" and body["data"]["price"] == 4.99
        await until(lambda: pool.fetchval("SELECT count(*) = 0 FROM outbox"), what="drained")
    finally:
        await pool.close()
        await webhooks.close()


async def test_a_new_organization_gets_its_default_location_and_working_keys(
    platform: Platform, database_url: str
) -> None:
    org = jsoncodec.loads(
        cli(
            platform.env,
            "org",
            "create",
            "--name",
            "Corner Shop",
            "--plan",
            "professional",
            "--json",
        )
    )
    key = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", org["id"], "--mode", "live", "--json")
    )
    assert key["key"].startswith("nxp_live_") and key["organizationId"] == org["id"]
    listed = jsoncodec.loads(cli(platform.env, "key", "list", "--org", org["id"], "--json"))
    assert [k["id"] for k in listed] == [key["id"]] and "key" not in listed[0]
    inventory = await create_pool(database_url, schema="inventory")
    try:
        await until(
            lambda: inventory.fetchval(
                "SELECT count(*) = 2 FROM locations WHERE id = $1 AND organization_id = $2",
                org["defaultLocationId"],
                org["id"],
            ),
            what="the default location in both modes",
        )
    finally:
        await inventory.close()
    async with client() as http:
        async with http.get(
            platform.url("gateway", "/api/v1/products"),
            headers={"Authorization": f"Bearer {key['key']}"},
        ) as response:
            assert response.headers["X-RateLimit-Limit"] == "1000"
            assert response.status == 200
        cli(platform.env, "key", "revoke", key["id"])

        async def refused() -> bool:
            async with http.get(
                platform.url("gateway", "/api/v1/products"),
                headers={"Authorization": f"Bearer {key['key']}"},
            ) as r:
                return r.status == 401

        await until(refused, timeout=5, what="the revoked key to be refused")


async def test_the_seed_requests_work_and_modes_never_mix(platform: Platform) -> None:
    org = jsoncodec.loads(
        cli(
            platform.env, "org", "create", "--name", "Seed Cafe", "--plan", "professional", "--json"
        )
    )
    live = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", org["id"], "--mode", "live", "--json")
    )["key"]
    test = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", org["id"], "--mode", "test", "--json")
    )["key"]
    seed = {"Authorization": f"Bearer {live}", "Content-Type": "application/json"}
    async with client() as http:
        # The seed's curl: GET /api/v1/products with a live key.
        async with http.get(platform.url("gateway", "/api/v1/products"), headers=seed) as r:
            assert r.status == 200
            assert await r.json() == {
                "success": True,
                "data": [],
                "pagination": {"hasMore": False, "nextCursor": None},
            }
        async with http.post(
            platform.url("gateway", "/api/v1/products"),
            headers=seed,
            json={"name": "Flat white", "price": 3.2},
        ) as r:
            assert r.status == 201
            product = (await r.json())["data"]
        sandbox = {"Authorization": f"Bearer {test}"}
        async with http.get(platform.url("gateway", "/api/v1/products"), headers=sandbox) as r:
            assert (await r.json())["data"] == []
        path = f"/api/v1/products/{product['id']}"
        async with http.get(platform.url("gateway", path), headers=sandbox) as r:
            assert r.status == 404
        async with http.get(platform.url("gateway", path), headers=seed) as r:
            assert (await r.json())["data"]["price"] == 3.2


async def test_a_service_port_refuses_forged_identity(platform: Platform) -> None:
    forged = jwt.encode(
        {
            "org": "org_victim",
            "mode": "live",
            "aud": "catalog",
            "iss": "stacknex-gateway",
            "exp": 9_999_999_999,
            "iat": 0,
        },
        "a-guess-at-the-secret-that-is-long-enough",
        algorithm="HS256",
    )
    async with client() as http:
        for headers in ({"X-Org-Id": "org_victim"}, {"X-StackNex-Identity": forged}):
            async with http.get(
                platform.url("catalog", "/api/v1/products"), headers=headers
            ) as response:
                assert response.status == 401
                assert (await response.json())["error"]["code"] == "AUTHENTICATION_REQUIRED"
        async with http.get(
            f"http://127.0.0.1:{platform.ports['gateway']}/api/v1/products"
        ) as response:
            assert response.status == 403
            assert (await response.json())["error"]["code"] == "HTTPS_REQUIRED"


async def test_projection_rebuild_reproduces_the_gateway_read_models(
    platform: Platform, database_url: str
) -> None:
    gateway = await create_pool(database_url, schema="gateway")
    try:
        snapshot = "SELECT * FROM api_keys ORDER BY id"
        before = [dict(r) for r in await gateway.fetch(snapshot)]
        out = jsoncodec.loads(cli(platform.env, "projections", "rebuild", "gateway", "--json"))
        assert out["readModels"] == ["api_keys", "members", "organizations"]
        assert out["eventsReplayed"] >= len(before) > 0
        assert [dict(r) for r in await gateway.fetch(snapshot)] == before
    finally:
        await gateway.close()


async def test_a_killed_service_is_restarted_by_the_supervisor(platform: Platform) -> None:
    async with client() as http:
        pid = await _pid_on_port(platform.ports["inventory"])
        os.kill(pid, signal.SIGKILL)
        await until(
            lambda: _pid_on_port_differs(platform.ports["inventory"], pid),
            timeout=30,
            what="a new inventory process",
        )
        await until(
            lambda: answers(http, platform.ops_url("inventory", "/readyz")),
            timeout=30,
            what="inventory ready again",
        )


async def _pid_on_port(port: int) -> int:
    for _ in range(100):
        out = subprocess.run(
            ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True
        ).stdout
        if "pid=" in out:
            return int(out.split("pid=")[1].split(",")[0])
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


async def _pid_on_port_differs(port: int, old: int) -> bool:
    try:
        return await _pid_on_port(port) != old
    except AssertionError:
        return False


async def test_sigterm_stops_every_service_gracefully(platform: Platform) -> None:
    platform.process.send_signal(signal.SIGTERM)
    code = await asyncio.to_thread(platform.process.wait, 40)
    assert code == 0
    log = platform.log()
    for name in SERVICES:
        assert f'"service": "{name}"' in log and "service.stopping" in log
        assert f"{name.ljust(9)} | stopped (exit 0)" in log, log[-3000:]
