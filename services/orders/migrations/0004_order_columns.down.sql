-- The answer as one jsonb again, rebuilt from the columns (the shape GET answered; moments
-- as libs/common/clock.rfc3339 writes them: microseconds only when there are some).
CREATE FUNCTION pg_temp.rfc3339(moment timestamptz) RETURNS text LANGUAGE sql AS $$
    SELECT to_char(moment AT TIME ZONE 'UTC', CASE WHEN extract(microseconds FROM moment)::bigint
        % 1000000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS"Z"' ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"' END)
$$;
ALTER TABLE orders ADD COLUMN body jsonb;
UPDATE orders SET body = jsonb_build_object(
    'id', id, 'orderNumber', order_number, 'status', status, 'items', items,
    'subtotal', subtotal, 'total', total, 'currency', currency, 'locationId', location_id,
    'customerId', customer_id, 'paymentMethod', payment_method, 'note', note,
    'metadata', metadata, 'restock', restock,
    'createdAt', pg_temp.rfc3339(created_at), 'updatedAt', pg_temp.rfc3339(updated_at),
    'completedAt', pg_temp.rfc3339(completed_at), 'cancelledAt', pg_temp.rfc3339(cancelled_at),
    'version', version);
DROP FUNCTION pg_temp.rfc3339(timestamptz);
ALTER TABLE orders
    ALTER COLUMN body SET NOT NULL,
    DROP COLUMN items, DROP COLUMN subtotal, DROP COLUMN currency, DROP COLUMN note,
    DROP COLUMN metadata, DROP COLUMN restock, DROP COLUMN updated_at,
    DROP COLUMN completed_at, DROP COLUMN cancelled_at;
