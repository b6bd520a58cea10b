"""An item is one model: its change, its event's data, its fold and its ledger line agree."""

from datetime import UTC, datetime

import pytest

from libs.contract.inventory import (
    AdjustmentRead,
    InventoryItemRead,
    InventoryUpdate,
    LocationRead,
)
from services.inventory.domain import items

T0 = datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
T1 = datetime(2024, 1, 15, 11, 0, tzinfo=UTC)


def _item() -> InventoryItemRead:
    return items.new_item(
        item_id="inv_0000000000000001",
        product_id="prod_000000000000001",
        location_id="loc_0000000000000001",
        product_threshold=5,
        now=T0,
    )


def test_a_sale_moves_on_hand_and_records_what_it_was_before() -> None:
    item = items.change(_item(), now=T0, reason="received", on_hand=10, adjustment_id="adj_1")
    sale = items.change(
        items.item_of(item), now=T1, reason="sale", on_hand=-3, order_id="ord_1", adjustment_id="a"
    )
    data = sale.dump()
    assert {k: data[k] for k in ("onHand", "available", "previousOnHand", "previousAvailable")} == {
        "onHand": 7,
        "available": 7,
        "previousOnHand": 10,
        "previousAvailable": 10,
    }
    assert (data["version"], data["updatedAt"], data["lowStockThreshold"]) == (
        3,
        "2024-01-15T11:00:00Z",
        5,
    )


def test_a_hold_writes_no_ledger_line() -> None:
    held = items.change(_item(), now=T1, reason="hold", committed=2, adjustment_id="adj_x")
    assert (held.available, held.adjustment_id, items.ledger_line(held)) == (-2, None, None)


def test_the_thresholds_are_hidden_in_the_data_and_folded_back_from_the_metadata() -> None:
    own = items.change(_item(), now=T1, reason="threshold", thresholds={"threshold_override": 2})
    data, metadata = own.dump(), own.thresholds()
    assert "thresholdOverride" not in data and "productThreshold" not in data
    assert data["lowStockThreshold"] == 2  # the item's own wins over the product's
    folded = items.fold(data, metadata)
    assert (folded.threshold_override, folded.product_threshold) == (2, 5)
    assert folded == items.item_of(own)
    assert folded.dump() == InventoryItemRead.model_validate(dict(folded)).dump()


def test_a_ledger_line_is_the_change_of_on_hand() -> None:
    counted = items.change(_item(), now=T1, reason="count", on_hand=4, adjustment_id="adj_2")
    line = items.ledger_line(counted)
    assert line == AdjustmentRead(
        id="adj_2",
        inventory_item_id=_item().id,
        delta=4,
        reason="count",
        order_id=None,
        on_hand_after=4,
        created_at=T1,
    )
    assert line.dump()["inventoryItemId"] == _item().id


def test_old_events_fold_too() -> None:
    """Events written before the models: `organizationId` in the metadata, every field shown."""
    data = InventoryUpdate.model_validate(
        {
            **items.change(_item(), now=T1, reason="hold", committed=1).dump(),
            "available": 99,  # derived, never read back
        }
    ).dump()
    metadata = {"organizationId": "org_1", "thresholdOverride": None, "productThreshold": 5}
    assert items.fold(data, metadata).available == -1


@pytest.mark.parametrize(
    "model", [LocationRead, InventoryItemRead, InventoryUpdate, AdjustmentRead]
)
def test_every_answer_has_an_example_that_it_accepts(model: type[InventoryItemRead]) -> None:
    schema = model.model_json_schema(mode="serialization")
    [example] = schema["examples"]
    assert set(example) == set(schema["properties"])
    model.model_validate(example)
