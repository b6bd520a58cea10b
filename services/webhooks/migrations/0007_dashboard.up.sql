-- The dashboard's health figures per endpoint (last result, success rate over 24 h) read the
-- attempts of one endpoint by time. Attempts knew only their delivery, so those figures were
-- a join over every delivery the endpoint ever had; the endpoint's id on each attempt and
-- one index make them a range scan of that endpoint's last day. Nullable: an attempt logged
-- by a worker of the previous release during a rollout carries none (it is backfilled here
-- for the rows that exist, and counts nowhere else).
ALTER TABLE delivery_attempts ADD COLUMN endpoint_id text;
UPDATE delivery_attempts a SET endpoint_id = d.endpoint_id
    FROM deliveries d WHERE d.id = a.delivery_id;
CREATE INDEX delivery_attempts_by_endpoint ON delivery_attempts (endpoint_id, started_at DESC);

-- The security history of an organization's endpoints (every change, and the actions that
-- change no endpoint: secret revealed, test sent, retried, recovered), newest first. These
-- events are the only ones of their kind in this store; the partial index holds nothing else.
-- In append order (position): ids order only to the millisecond.
CREATE INDEX events_endpoint_history ON events (organization_id, position DESC)
    WHERE type LIKE 'webhook_endpoint.%';
