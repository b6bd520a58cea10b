"""The typed client against the whole platform: the README's examples run as written (the
seed's order), `apaginate` walks real pages, and `verify_webhook` accepts a real delivery.

The client's calls are synchronous httpx; they run in a thread so the receiver (on this
event loop) keeps answering deliveries meanwhile."""

import asyncio
import contextlib
import io
import re
import ssl
from pathlib import Path
from typing import Any

import pytest
from stacknex_client import ApiError, AuthenticatedClient, apaginate
from stacknex_client.api.products import create_product, list_products
from stacknex_client.api.webhooks import create_webhook_endpoint as create_webhook
from stacknex_client.models import EndpointCreate, OrderRead, ProductCreate

from tests.conftest import until
from tests.e2e.conftest import Platform, Till
from tests.e2e.receiver import Receiver

PLATFORM_ENV = {
    "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
    "STACKNEX_WEBHOOKS_POLL_INTERVAL": "0.2",
}
README = Path(__file__).resolve().parents[2] / "clients" / "python" / "README.md"


def readme_blocks() -> list[str]:
    blocks = re.findall(r"^```python\n(.*?)^```$", README.read_text(), re.S | re.M)
    assert len(blocks) == 3, "the README's examples: the order, paginate, verify_webhook"
    return blocks


def client_for(platform: Platform, till: Till) -> AuthenticatedClient:
    cafile = platform.env["STACKNEX_GATEWAY_TLS_CERT_FILE"]
    return AuthenticatedClient(
        base_url=till.base, token=till.key, verify_ssl=ssl.create_default_context(cafile=cafile)
    )


def run(block: str, namespace: dict[str, Any]) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, str(README), "exec"), namespace)
    return printed.getvalue()


def data(envelope: Any) -> dict[str, Any]:
    """A success envelope's `data` as JSON (whichever typed envelope the operation returns)."""
    assert getattr(envelope, "success", None) is True, envelope
    return envelope.data.to_dict()


async def test_the_readme_examples_run_as_written_and_place_the_seeds_order(
    platform: Platform,
    tills: tuple[Till, Till],
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    till, _ = tills
    monkeypatch.setenv("STACKNEX_URL", till.base)
    monkeypatch.setenv("STACKNEX_API_KEY", till.key)
    monkeypatch.setenv("STACKNEX_CA", platform.env["STACKNEX_GATEWAY_TLS_CERT_FILE"])
    order_block, paginate_block, webhook_block = readme_blocks()
    namespace: dict[str, Any] = {"__name__": "readme"}

    printed = await asyncio.to_thread(run, order_block, namespace)
    order = namespace["order"].data.to_dict()
    assert re.fullmatch(r"ORD-\d{4}-\d{4}", order["orderNumber"])
    assert (order["status"], order["total"], order["paymentMethod"]) == ("completed", 9.98, "cash")
    assert order["locationId"] == till.location_id
    [line] = order["items"]
    assert (line["quantity"], line["unitPrice"]) == (2, 4.99)
    assert line["productId"] == namespace["product"].data.to_dict()["id"]
    assert printed.split() == [order["orderNumber"], "completed", "9.98"]
    # What the client was told is what the platform keeps.
    kept = await till.ok("GET", f"/api/v1/orders/{order['id']}")
    assert OrderRead.from_dict(kept).to_dict() == order

    printed = await asyncio.to_thread(run, paginate_block, namespace)
    assert printed.split() == [order["orderNumber"], "9.98"]

    client: AuthenticatedClient = namespace["client"]
    endpoint = data(
        await create_webhook.asyncio(
            client=client,
            body=EndpointCreate(url=receiver.url + "/readme", events=["product.created"]),
        )
    )
    monkeypatch.setenv("STACKNEX_WEBHOOK_SECRET", endpoint["secret"])
    await asyncio.to_thread(run, webhook_block, namespace)
    await create_product.asyncio(client=client, body=ProductCreate(name="Rye", price=3.5))
    await until(lambda: bool(receiver.at("/readme")), what="the delivery")
    [hit] = receiver.at("/readme")
    receive = namespace["receive"]
    with contextlib.redirect_stdout(io.StringIO()) as refusals:
        assert receive(hit.body, hit.headers) == 200
        assert receive(hit.body.replace(b"Rye", b"Rue"), hit.headers) == 400
    assert "no webhook-signature matches" in refusals.getvalue()
    await client.get_async_httpx_client().aclose()
    client.get_httpx_client().close()


async def test_apaginate_walks_every_page_newest_first_and_raises_on_an_error_envelope(
    platform: Platform, tills: tuple[Till, Till]
) -> None:
    _, sandbox = tills  # the test mode: its own, empty catalog
    async with client_for(platform, sandbox) as client:
        made = [
            data(await create_product.asyncio(client=client, body=ProductCreate(name=n, price=1)))
            for n in ("A", "B", "C", "D", "E")
        ]
        seen = [p.to_dict()["id"] async for p in apaginate(list_products, client=client, limit=2)]
        assert seen == [p["id"] for p in reversed(made)]
        after = [
            p.to_dict()["id"]
            async for p in apaginate(list_products, client=client, starting_after=seen[1])
        ]
        assert after == seen[2:]
        with pytest.raises(ApiError) as raised:
            [p async for p in apaginate(list_products, client=client, limit=0)]
        assert (raised.value.status, raised.value.code) == (400, "VALIDATION_ERROR")
        assert raised.value.request_id
