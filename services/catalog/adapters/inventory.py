"""Telling the inventory what a product write changed, before the client hears back: a
client that creates a tracked product, or changes a threshold, and then reads its stock
sees the write (read your writes). The product's event carries the same facts, so if the
inventory cannot be reached now the write still stands and the stock catches up."""

from libs.common.errors import ServiceUnavailable
from libs.common.identity import Identity
from libs.common.internal import ServiceClient
from libs.common.logging import get_logger
from libs.contract.catalog import ProductRead

log = get_logger(__name__)


async def tell_inventory(client: ServiceClient, *, who: Identity, product: ProductRead) -> None:
    try:
        await client.call(
            "inventory",
            "PUT",
            f"/internal/v1/products/{product.id}",
            who=who,
            body={
                "trackInventory": product.track_inventory,
                "inventoryPolicy": product.inventory_policy,
                "lowStockThreshold": product.low_stock_threshold,
                "version": product.version,
                "deleted": product.deleted_at is not None,
            },
        )
    except ServiceUnavailable:
        log.warning("product.stock_follows_event", product_id=product.id)
