DROP INDEX IF EXISTS events_endpoint_history;
DROP INDEX IF EXISTS delivery_attempts_by_endpoint;
ALTER TABLE delivery_attempts DROP COLUMN IF EXISTS endpoint_id;
