-- The ledger's column takes the name of the field it is shown as (`inventoryItemId`), so a
-- row is the AdjustmentRead model, column for field, with no mapper between them.
ALTER TABLE adjustments RENAME COLUMN item_id TO inventory_item_id;
