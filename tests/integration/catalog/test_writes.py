"""The shared write semantics, proven on the catalog: idempotency, optimistic concurrency,
one event per write on the bus, and read models that a rebuild reproduces."""

import asyncio
import re
from typing import Any

import asyncpg

from libs.common.db import create_pool
from libs.common.eventstore import EventStore
from libs.common.writes import records_box, seal_legacy_records
from services.catalog.adapters.projections import CatalogProjector
from services.catalog.settings import Settings
from tests.conftest import Collector, until
from tests.integration.catalog.conftest import Caller

P = "/api/v1/products"
COLA = {"name": "Cola", "price": 4.99}


async def test_same_key_same_body_replays_the_first_response(caller: Caller) -> None:
    first = await caller.call("POST", P, COLA, headers={"Idempotency-Key": "sale-1"})
    # Other whitespace and key order: still the same request.
    again = await caller.call(
        "POST",
        P,
        raw=b'{ "price": 4.99,  "name": "Cola" }',
        headers={"Idempotency-Key": "sale-1", "Content-Type": "application/json"},
    )
    assert (again[0], again[1]) == (first[0], first[1]) == (201, first[1])
    assert again[2].headers["Idempotent-Replayed"] == "true"
    assert again[2].headers["ETag"] == first[2].headers["ETag"]
    _, listed, _ = await caller.call("GET", P)
    assert len(listed["data"]) == 1


async def test_same_key_other_body_is_422(caller: Caller) -> None:
    await caller.call("POST", P, COLA, headers={"Idempotency-Key": "sale-2"})
    status, body, _ = await caller.call(
        "POST", P, {**COLA, "price": 5}, headers={"Idempotency-Key": "sale-2"}
    )
    assert (status, body["error"]["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


async def test_keys_belong_to_one_organization_and_mode(caller: Caller, stranger: Caller) -> None:
    await caller.call("POST", P, COLA, headers={"Idempotency-Key": "shared"})
    for other in (stranger, caller.other_mode()):
        status, _, response = await other.call(
            "POST", P, {**COLA, "price": 1}, headers={"Idempotency-Key": "shared"}
        )
        assert status == 201 and "Idempotent-Replayed" not in response.headers


async def test_a_key_still_in_flight_is_409(caller: Caller, database_url: str) -> None:
    # Hold the key's lock as a request in progress would.
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            await conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                f"stacknex.idempotency:{caller.organization_id}:live:busy",
            )
            status, body, _ = await caller.call(
                "POST", P, COLA, headers={"Idempotency-Key": "busy"}
            )
            assert (status, body["error"]["code"]) == (409, "IDEMPOTENCY_KEY_IN_USE")
    finally:
        await conn.close()
    assert (await caller.call("POST", P, COLA, headers={"Idempotency-Key": "busy"}))[0] == 201


async def test_concurrent_duplicates_create_one_product(caller: Caller) -> None:
    outcomes = await asyncio.gather(
        *(caller.call("POST", P, COLA, headers={"Idempotency-Key": "rush"}) for _ in range(8))
    )
    created = {body["data"]["id"] for status, body, _ in outcomes if status == 201}
    assert len(created) == 1
    assert {status for status, _, _ in outcomes} <= {201, 409}
    _, listed, _ = await caller.call("GET", P)
    assert len(listed["data"]) == 1


async def test_an_overlong_key_is_400(caller: Caller) -> None:
    status, body, _ = await caller.call("POST", P, COLA, headers={"Idempotency-Key": "k" * 256})
    assert (status, body["error"]["details"]["field"]) == (400, "Idempotency-Key")


async def test_two_concurrent_patches_with_the_same_if_match_one_wins(caller: Caller) -> None:
    _, created, _ = await caller.call("POST", P, COLA)
    path = f"{P}/{created['data']['id']}"
    outcomes = await asyncio.gather(
        caller.call("PATCH", path, {"price": 1.0}, headers={"If-Match": '"1"'}),
        caller.call("PATCH", path, {"price": 2.0}, headers={"If-Match": '"1"'}),
    )
    statuses = sorted(status for status, _, _ in outcomes)
    assert statuses == [200, 409]
    loser = next(body for status, body, _ in outcomes if status == 409)
    assert loser["error"]["code"] == "VERSION_CONFLICT"
    assert loser["error"]["details"] == {"currentVersion": 2}


async def test_stale_version_in_header_or_body_is_409_and_changes_nothing(caller: Caller) -> None:
    _, created, _ = await caller.call("POST", P, COLA)
    path = f"{P}/{created['data']['id']}"
    await caller.call("PATCH", path, {"price": 1.5})
    for headers, body in (
        ({"If-Match": '"1"'}, {"price": 9}),
        ({}, {"price": 9, "version": 1}),
        ({"If-Match": 'W/"1"'}, {"price": 9}),
    ):
        status, response, _ = await caller.call("PATCH", path, body, headers=headers)
        assert (status, response["error"]["details"]["currentVersion"]) == (409, 2)
    status, _, _ = await caller.call("DELETE", path, headers={"If-Match": '"1"'})
    assert status == 409
    _, current, _ = await caller.call("GET", path)
    assert current["data"]["price"] == 1.5
    status, body, _ = await caller.call("PATCH", path, {"price": 9}, headers={"If-Match": "abc"})
    assert (status, body["error"]["details"]["field"]) == (400, "If-Match")


async def test_without_a_version_concurrent_writes_all_apply(caller: Caller) -> None:
    _, created, _ = await caller.call("POST", P, COLA)
    path = f"{P}/{created['data']['id']}"
    outcomes = await asyncio.gather(
        *(caller.call("PATCH", path, {"metadata": {"n": str(i)}}) for i in range(6))
    )
    assert {status for status, _, _ in outcomes} == {200}
    _, current, _ = await caller.call("GET", path)
    assert current["data"]["version"] == 7


async def test_each_write_puts_exactly_one_event_on_the_bus(caller: Caller, bus: Collector) -> None:
    _, category, _ = await caller.call("POST", "/api/v1/categories", {"name": "Drinks"})
    _, created, _ = await caller.call("POST", P, {**COLA, "categoryId": category["data"]["id"]})
    product_id = created["data"]["id"]
    await caller.call("PATCH", f"{P}/{product_id}", {"price": 3.5})
    await caller.call("PATCH", f"{P}/{product_id}", {"price": 3.5})  # no change: no event
    await caller.call("PUT", f"{P}/{product_id}", {"name": "Cola", "price": 3.75})
    await caller.call("POST", P, {**COLA, "price": "bad"})  # refused: no event
    await caller.call("DELETE", f"{P}/{product_id}")
    expected = [
        "category.created",
        "product.created",
        "product.updated",
        "product.updated",
        "product.deleted",
    ]

    def mine() -> list[dict[str, Any]]:
        import orjson

        bodies = [orjson.loads(m.body) for m in bus.messages]
        return [b for b in bodies if b["organizationId"] == caller.organization_id]

    await until(lambda: len(mine()) >= len(expected), what="the five events")
    events = mine()
    assert [e["event"] for e in events] == expected
    assert len({e["id"] for e in events}) == len(events)
    assert events[2]["changedFields"] == ["price"]
    assert events[3]["changedFields"] == ["price", "categoryId"]  # PUT left it out: cleared
    assert events[1]["data"]["price"] == 4.99 and events[3]["data"]["price"] == 3.75


async def test_rebuilt_read_models_equal_the_live_ones(caller: Caller, database_url: str) -> None:
    _, category, _ = await caller.call("POST", "/api/v1/categories", {"name": "Rebuild"})
    for i in range(5):
        _, product, _ = await caller.call(
            "POST", P, {"name": f"R{i}", "price": i + 0.5, "categoryId": category["data"]["id"]}
        )
        if i % 2:
            await caller.call("PATCH", f"{P}/{product['data']['id']}", {"active": False})
        if i == 4:
            await caller.call("DELETE", f"{P}/{product['data']['id']}")
    pool = await create_pool(database_url, schema="catalog")
    try:
        before = {
            t: [dict(r) for r in await pool.fetch(f"SELECT * FROM {t} ORDER BY id")]
            for t in ("products", "categories")
        }
        async with pool.acquire() as conn:
            await EventStore(schema="catalog", projector=CatalogProjector()).rebuild(conn)
        after = {
            t: [dict(r) for r in await pool.fetch(f"SELECT * FROM {t} ORDER BY id")]
            for t in ("products", "categories")
        }
    finally:
        await pool.close()
    assert after == before


async def _stored(pool: asyncpg.Pool, caller: Caller, key: str) -> asyncpg.Record:
    return await pool.fetchrow(
        "SELECT body, sealed, fingerprint FROM idempotency_keys"
        " WHERE organization_id = $1 AND key = $2",
        caller.organization_id,
        key,
    )


async def test_stored_responses_are_sealed_and_replayed_byte_for_byte(
    caller: Caller, database_url: str
) -> None:
    secretive = {"name": "Cola", "price": 4.99, "description": "plaintext-marker-4711"}
    _, _, first = await caller.call("POST", P, secretive, headers={"Idempotency-Key": "sealed"})
    _, _, again = await caller.call("POST", P, secretive, headers={"Idempotency-Key": "sealed"})
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await again.read() == await first.read()
    pool = await create_pool(database_url, schema="catalog")
    try:
        row = await _stored(pool, caller, "sealed")
    finally:
        await pool.close()
    assert row["sealed"] is True
    assert b"plaintext-marker-4711" not in row["body"] and b"Cola" not in row["body"]
    # A release from before sealing compares the bare SHA-256: it never matches a sealed
    # row, so that release answers 422 rather than replaying ciphertext.
    assert re.fullmatch(r"sealed:[0-9a-f]{64}", row["fingerprint"])


async def test_a_legacy_plaintext_record_replays_and_is_sealed_at_start(
    caller: Caller, database_url: str
) -> None:
    """A row written before bodies were sealed: readable during the rollout, then sealed."""
    _, _, first = await caller.call("POST", P, COLA, headers={"Idempotency-Key": "legacy"})
    original = await first.read()
    pool = await create_pool(database_url, schema="catalog")
    try:
        await pool.execute(
            "UPDATE idempotency_keys SET body = $1, sealed = false,"
            " fingerprint = replace(fingerprint, 'sealed:', '')"
            " WHERE organization_id = $2 AND key = 'legacy'",
            original,
            caller.organization_id,
        )
        _, _, replayed = await caller.call("POST", P, COLA, headers={"Idempotency-Key": "legacy"})
        assert await replayed.read() == original
        box = records_box(Settings(environment="test"))
        assert await seal_legacy_records(pool, box) >= 1
        row = await _stored(pool, caller, "legacy")
        assert row["sealed"] is True and box.open_bytes(row["body"]) == original
        assert row["fingerprint"].startswith("sealed:")
        _, _, replayed = await caller.call("POST", P, COLA, headers={"Idempotency-Key": "legacy"})
        assert await replayed.read() == original
    finally:
        await pool.close()


async def test_a_version_past_the_column_is_400_naming_it(caller: Caller) -> None:
    """A version number reaches the event store's `integer` column: past it was a 500."""
    _, created, _ = await caller.call("POST", P, COLA)
    path = f"{P}/{created['data']['id']}"
    for version in (2**31, 2**63, 10**30):
        status, body, _ = await caller.call("PATCH", path, {"price": 1, "version": version})
        assert (status, body["error"]["details"]["field"]) == (400, "version"), body
    _, current, _ = await caller.call("GET", path)
    assert current["data"]["version"] == 1
