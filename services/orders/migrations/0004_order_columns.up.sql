-- An order's row is its model, column for field (issue 13 §1): what GET answers is read
-- back from the columns, as for every other resource, instead of a copy of the answer in
-- `body`. The lines, fixed at the sale, stay one jsonb array in their public shape.
ALTER TABLE orders
    ADD COLUMN items        jsonb,
    ADD COLUMN subtotal     numeric(12,2),
    ADD COLUMN currency     text,
    ADD COLUMN note         text,
    ADD COLUMN metadata     jsonb,
    ADD COLUMN restock      boolean,
    ADD COLUMN updated_at   timestamptz,
    ADD COLUMN completed_at timestamptz,
    ADD COLUMN cancelled_at timestamptz;
UPDATE orders SET
    items = body -> 'items',
    subtotal = (body ->> 'subtotal')::numeric,
    currency = body ->> 'currency',
    note = body ->> 'note',
    metadata = body -> 'metadata',
    restock = (body ->> 'restock')::boolean,
    updated_at = (body ->> 'updatedAt')::timestamptz,
    completed_at = (body ->> 'completedAt')::timestamptz,
    cancelled_at = (body ->> 'cancelledAt')::timestamptz;
ALTER TABLE orders
    ALTER COLUMN items SET NOT NULL,
    ALTER COLUMN subtotal SET NOT NULL,
    ALTER COLUMN currency SET NOT NULL,
    ALTER COLUMN metadata SET NOT NULL,
    ALTER COLUMN updated_at SET NOT NULL,
    DROP COLUMN body;
