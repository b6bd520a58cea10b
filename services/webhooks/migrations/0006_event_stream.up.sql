-- The event stream (GET /api/v1/events/stream) reads the log in the order it was written,
-- after a cursor. Neither `id` (the producing service's clock: a late event has an older id)
-- nor a sequence alone can be that cursor: sequence values are taken at insert and become
-- visible at commit, so a reader past position N would skip an N-1 that commits later. So
-- each row keeps the id of the transaction that wrote it, and the stream reads only rows
-- whose transaction is older than every transaction still running (the snapshot's xmin):
-- no row can appear below that line any more. Order: (tx, position).
ALTER TABLE event_log
    ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
    ADD COLUMN position bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX event_log_stream ON event_log (organization_id, mode, tx, position);
