-- The answer as one jsonb again, rebuilt from the columns (the shape GET answered).
ALTER TABLE orders ADD COLUMN body jsonb;
UPDATE orders SET body = jsonb_build_object(
    'id', id, 'orderNumber', order_number, 'status', status, 'items', items,
    'subtotal', subtotal, 'total', total, 'currency', currency, 'locationId', location_id,
    'customerId', customer_id, 'paymentMethod', payment_method, 'note', note,
    'metadata', metadata, 'restock', restock,
    'createdAt', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'updatedAt', to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'completedAt', to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'cancelledAt', to_char(cancelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'version', version);
ALTER TABLE orders
    ALTER COLUMN body SET NOT NULL,
    DROP COLUMN items, DROP COLUMN subtotal, DROP COLUMN currency, DROP COLUMN note,
    DROP COLUMN metadata, DROP COLUMN restock, DROP COLUMN updated_at,
    DROP COLUMN completed_at, DROP COLUMN cancelled_at;
