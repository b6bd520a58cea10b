-- The request log (issue 14): each authenticated API request, written in batches off the
-- request path (services/gateway/adapters/request_log.py). No foreign keys: a COPY that
-- checked each row against organizations and api_keys would cost the writer a lookup per
-- row, and a key or organization never disappears (they are event-sourced, revoked not
-- deleted). Never a header, a body or a query string: the path only.
CREATE TABLE request_log (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL,
    organization_id text        NOT NULL,
    mode            text        NOT NULL CHECK (mode IN ('live', 'test')),
    key_id          text        NOT NULL,
    method          text        NOT NULL,
    path            text        NOT NULL,
    status          smallint    NOT NULL,
    -- 2 for 2xx … 5xx: the dashboard's status filter is one equality on an index.
    status_class    smallint    GENERATED ALWAYS AS (status / 100) STORED,
    duration_ms     real        NOT NULL,
    request_id      text        NOT NULL
);
-- The log page, newest first per organization and mode, keyset on (at, id); also the usage
-- chart's range and the retention's "newest 10,000" boundary. A path prefix filter walks
-- this index too: within the 24 h or so kept per organization and mode that is a bounded
-- scan, and a third index on the path would cost every batch written more than it saves.
CREATE INDEX request_log_recent ON request_log (organization_id, mode, at DESC, id DESC);
-- The status filter (2xx … 5xx), in the same order.
CREATE INDEX request_log_by_class
    ON request_log (organization_id, mode, status_class, at DESC, id DESC);
