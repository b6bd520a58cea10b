-- The deliveries in flight, per endpoint: what the claim counts against each endpoint's cap
-- on every claim. Settling clears lease_until, so this index holds only the attempts under
-- way (and leases of a crashed worker until they run out), not the whole queue.
CREATE INDEX deliveries_leased ON deliveries (endpoint_id)
    WHERE status = 'pending' AND lease_until IS NOT NULL;
