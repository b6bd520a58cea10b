-- The event log's purge keeps every event a delivery still refers to (a retry or a recovery
-- must find its bytes): this index answers "does any delivery refer to this event?" per
-- purged event, instead of a scan of the deliveries per batch.
CREATE INDEX deliveries_by_event ON deliveries (event_id);
