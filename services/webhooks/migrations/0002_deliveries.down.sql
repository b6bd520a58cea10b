DROP TABLE IF EXISTS low_stock_state;
DROP TABLE IF EXISTS delivery_attempts;
DROP TABLE IF EXISTS deliveries;
DROP TABLE IF EXISTS endpoint_health;
DROP TABLE IF EXISTS endpoints;
DROP INDEX IF EXISTS event_log_by_type;
ALTER TABLE event_log DROP COLUMN IF EXISTS payload;
