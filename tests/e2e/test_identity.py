"""Service identity across the running platform: each service signs with its own key, each
route accepts only the callers it names, and nothing signed with any other key gets in."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from libs.common import identity
from libs.common.ids import new_id
from tests.conftest import keyring
from tests.e2e.conftest import Platform, Till, client

ROOT = Path(__file__).resolve().parents[2]


def _who(org_id: str) -> identity.Identity:
    return identity.Identity(
        organization_id=org_id,
        mode="live",
        key_id="key_x",
        scopes=frozenset(),
        request_id="req_identity",
    )


async def _direct(
    platform: Platform, service: str, method: str, path: str, token: str, body: Any = None
) -> tuple[int, dict[str, Any]]:
    async with (
        client() as http,
        http.request(
            method, platform.url(service, path), json=body, headers={identity.HEADER: token}
        ) as response,
    ):
        return response.status, await response.json()


async def test_a_sale_goes_orders_to_catalog_and_inventory_each_with_its_own_key(
    tills: tuple[Till, Till],
) -> None:
    till, _ = tills
    # inventory → catalog: the stock of a product the bus may not have brought yet.
    product_id, item_id = await till.stocked_product(5)
    # orders → catalog (the products as they are now), orders → inventory (the hold).
    await till.ok("POST", "/api/v1/orders", till.order(product_id, 2), 201)
    assert (await till.item(item_id))["onHand"] == 3


async def test_a_token_of_another_service_is_refused_where_the_route_does_not_name_it(
    platform: Platform, tills: tuple[Till, Till]
) -> None:
    till, _ = tills
    who = _who(till.org_id)
    catalog_signed = keyring(platform.keys_dir, "catalog").sign(who, audience="orders")
    code, body = await _direct(platform, "orders", "GET", "/api/v1/orders", catalog_signed)
    assert (code, body["error"]["code"]) == (403, "CALLER_NOT_ALLOWED")
    assert body["error"]["details"] == {"caller": "catalog"}
    # The gateway signs for clients, but a client cannot hold stock: that route names orders.
    gateway_signed = keyring(platform.keys_dir, "gateway").sign(who, audience="inventory")
    hold = {"orderId": new_id("ord"), "locationId": till.location_id, "sold": False, "lines": []}
    code, body = await _direct(
        platform, "inventory", "POST", "/internal/v1/stock-holds", gateway_signed, hold
    )
    assert (code, body["error"]["code"]) == (403, "CALLER_NOT_ALLOWED")
    # The same identity signed by the gateway is what orders' public route wants.
    gateway_signed = keyring(platform.keys_dir, "gateway").sign(who, audience="orders")
    code, _ = await _direct(platform, "orders", "GET", "/api/v1/orders", gateway_signed)
    assert code == 200


async def test_a_token_forged_with_a_fresh_key_is_401_at_every_service_port(
    platform: Platform, tills: tuple[Till, Till]
) -> None:
    till, _ = tills
    fresh = Ed25519PrivateKey.generate()
    for service, path in (
        ("catalog", "/api/v1/products"),
        ("orders", "/api/v1/orders"),
        ("inventory", "/api/v1/locations"),
        ("webhooks", "/api/v1/webhooks"),
    ):
        for issuer in ("gateway", "orders"):
            forged = identity.sign(_who(till.org_id), key=fresh, issuer=issuer, audience=service)
            code, body = await _direct(platform, service, "GET", path, forged)
            assert (code, body["error"]["code"]) == (401, "AUTHENTICATION_REQUIRED"), service


def test_production_refuses_to_start_without_keys(tmp_path: Path) -> None:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("STACKNEX_") or key.startswith("STACKNEX_TEST_")
    }

    # A real records key, so that what is refused is the missing keys (libs/common/sealing.py).
    records_key = Fernet.generate_key().decode()

    def start(**settings: str) -> subprocess.CompletedProcess[str]:
        env = {
            **base,
            "STACKNEX_ENVIRONMENT": "production",
            "STACKNEX_IDEMPOTENCY_RECORDS_KEY": records_key,
            **settings,
        }
        return subprocess.run(
            [sys.executable, "-m", "services.orders"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )

    unset = start()
    assert unset.returncode != 0
    assert "signing_key_file and public_keys_dir must be set in production" in unset.stderr
    missing = start(
        STACKNEX_ORDERS_SIGNING_KEY_FILE=str(tmp_path / "orders.key"),
        STACKNEX_PUBLIC_KEYS_DIR=str(tmp_path),
    )
    assert missing.returncode != 0
    assert f"signing key {tmp_path / 'orders.key'} is unreadable" in missing.stderr
