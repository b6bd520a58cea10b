"""Finds holds whose order was never recorded (the orders service died between holding the
stock and saving the order) and gives the stock back."""

from collections.abc import AsyncIterator

from aiohttp import web

from libs.common.background import every, running
from libs.common.errors import ServiceUnavailable
from libs.common.internal import SERVICE_CLIENT
from libs.common.logging import get_logger
from libs.common.web import POOL, STORE
from services.inventory.domain.holds import OrderState
from services.inventory.service import holds
from services.inventory.service.stock import system
from services.inventory.settings import INVENTORY_SETTINGS

log = get_logger(__name__)


async def sweep_once(app: web.Application, *, older_than: float) -> int:
    pool, store, client = app[POOL], app[STORE], app[SERVICE_CLIENT]
    rows = await pool.fetch(
        # Only holds still holding something: a released orphan stays unconfirmed forever.
        "SELECT order_id, organization_id, mode FROM stock_holds WHERE NOT confirmed"
        " AND state IN ('committed', 'sold')"
        " AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 100",
        older_than,
    )
    released = 0
    for row in rows:
        who = system(organization_id=row["organization_id"], mode=row["mode"], cause="hold-sweeper")
        try:
            status, body = await client.call(
                "orders", "GET", f"/api/v1/orders/{row['order_id']}", who=who
            )
        except ServiceUnavailable:
            return released  # ask again next round
        async with pool.acquire() as conn, conn.transaction():
            if status == 200:
                await holds.follow(conn, store=store, who=who, order=OrderState.of(body["data"]))
            elif status == 404:
                await holds.release(conn, store=store, who=who, order_id=row["order_id"])
                released += 1
                log.warning("hold.orphan_released", order_id=row["order_id"])
    return released


async def sweeper_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[INVENTORY_SETTINGS]

    async def step() -> None:
        await sweep_once(app, older_than=settings.hold_orphan_after)

    loop = every(settings.hold_sweep_interval, step, name="hold.sweep", immediately=False)
    async with running(loop, name="hold-sweeper"):
        yield
