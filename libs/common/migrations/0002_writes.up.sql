-- What an event says beyond the resource itself, e.g. the names of the fields an update changed.
ALTER TABLE events ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}';

-- POST responses remembered for 24 hours per organization, mode and Idempotency-Key. A row is
-- written in the same transaction as the write it answers: both happen, or neither.
CREATE TABLE idempotency_keys (
    organization_id text        NOT NULL,
    mode            text        NOT NULL,
    key             text        NOT NULL,
    fingerprint     text        NOT NULL,
    status          integer     NOT NULL,
    headers         jsonb       NOT NULL,
    body            bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, mode, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (created_at);
