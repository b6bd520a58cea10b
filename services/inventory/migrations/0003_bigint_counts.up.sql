-- Counts were `integer` (2^31 - 1): the third +1,000,000,000 adjustment overflowed into a 500,
-- and a restock from an order event into a dead letter. The domain bounds counts at ±10^15
-- (items.MAX_UNITS, exact as a JSON number); bigint holds that 9,000 times over.
ALTER TABLE inventory_items
    ALTER COLUMN on_hand TYPE bigint,
    ALTER COLUMN committed TYPE bigint;
ALTER TABLE adjustments
    ALTER COLUMN delta TYPE bigint,
    ALTER COLUMN on_hand_after TYPE bigint;
