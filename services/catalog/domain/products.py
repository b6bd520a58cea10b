"""The product aggregate. Each event carries the whole product after the change (a
`ProductRead`), so the state is the newest event's data; a change is `revise`d and a
delete `mark_deleted` (libs/common/resources.py)."""

from datetime import datetime

from libs.contract.catalog import ProductCreate, ProductRead
from libs.contract.currencies import DEFAULT_CURRENCY

PRODUCT_CREATED = "product.created"
PRODUCT_UPDATED = "product.updated"
PRODUCT_DELETED = "product.deleted"


def settable(values: ProductCreate) -> dict[str, object]:
    """Every field a client sets, as PUT replaces them: those left out at their defaults."""
    fields = values.model_dump(exclude={"version"})
    fields["currency"] = values.currency or DEFAULT_CURRENCY
    return fields


def create(*, product_id: str, values: ProductCreate, now: datetime) -> ProductRead:
    return ProductRead(id=product_id, version=1, created_at=now, updated_at=now, **settable(values))
