DROP TABLE IF EXISTS idempotency_keys;
ALTER TABLE events DROP COLUMN IF EXISTS metadata;
