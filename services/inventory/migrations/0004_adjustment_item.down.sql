ALTER TABLE adjustments RENAME COLUMN inventory_item_id TO item_id;
