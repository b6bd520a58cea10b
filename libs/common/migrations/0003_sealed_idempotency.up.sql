-- Stored responses are sealed (Fernet, the service's idempotency_records_key): a response may
-- carry a secret (a new webhook signing secret) and must not rest in plaintext for 24 hours.
-- Rows written before this migration (or by a replica not yet upgraded) stay readable as
-- `sealed = false`; each service seals them in bounded batches when it starts
-- (`writes.seal_legacy_records`), so none is left plain after the rollout.
ALTER TABLE idempotency_keys ADD COLUMN sealed boolean NOT NULL DEFAULT false;
CREATE INDEX idempotency_keys_unsealed ON idempotency_keys (created_at) WHERE NOT sealed;
