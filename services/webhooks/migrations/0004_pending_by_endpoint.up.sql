-- The pending deliveries of each endpoint, oldest due first: the fair claim walks this
-- index endpoint by endpoint (a loose index scan), so that one endpoint's backlog cannot
-- keep the others waiting (services/webhooks/adapters/deliveries.py: claim_fair).
CREATE INDEX deliveries_pending_by_endpoint ON deliveries (endpoint_id, next_attempt_at, id)
    WHERE status = 'pending';
