-- A customer's spend sums their completed orders, each up to 9,999,999,999.99 (numeric(12,2),
-- orders.MAX_TOTAL): numeric(14,2) overflowed on the 101st such order, a 500 for the order
-- itself since the counter is kept in its transaction. Unbounded numeric keeps the cents exact.
-- orders_count: bigint like every other running count.
ALTER TABLE customers
    ALTER COLUMN total_spent TYPE numeric,
    ALTER COLUMN orders_count TYPE bigint;
