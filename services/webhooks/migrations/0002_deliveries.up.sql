-- The exact bytes that deliveries carry and sign, made once per event.
ALTER TABLE event_log ADD COLUMN payload bytea;
CREATE INDEX event_log_by_type ON event_log (organization_id, mode, type, id DESC);

-- Read model of the endpoint aggregate (rebuilt from its private events).
CREATE TABLE endpoints (
    id                  text        PRIMARY KEY,
    organization_id     text        NOT NULL,
    mode                text        NOT NULL,
    url                 text        NOT NULL,
    events              text[]      NOT NULL,
    description         text,
    enabled             boolean     NOT NULL,
    disabled_reason     text,
    secret              text        NOT NULL,  -- encrypted
    previous_secret     text,                  -- encrypted
    previous_expires_at timestamptz,
    version             integer     NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    deleted_at          timestamptz
);
CREATE INDEX endpoints_listing ON endpoints (organization_id, mode, id DESC) WHERE deleted_at IS NULL;

-- How an endpoint has been doing: operational, not part of the aggregate.
CREATE TABLE endpoint_health (
    endpoint_id     text        PRIMARY KEY,
    last_success_at timestamptz,
    failing_since   timestamptz
);

-- The durable delivery queue and its log. One row per event and endpoint; its id is the
-- X-Webhook-Id, the same on every attempt.
CREATE TABLE deliveries (
    id              text        PRIMARY KEY,
    endpoint_id     text        NOT NULL,
    event_id        text        NOT NULL,
    event_type      text        NOT NULL,
    organization_id text        NOT NULL,
    mode            text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL,
    event_at        timestamptz NOT NULL,
    succeeded_at    timestamptz,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_endpoint ON deliveries (endpoint_id, id DESC);

CREATE TABLE delivery_attempts (
    delivery_id     text        NOT NULL,
    attempt         integer     NOT NULL,
    started_at      timestamptz NOT NULL,
    duration_ms     integer     NOT NULL,
    http_status     integer,
    response_body   text,
    error           text,
    PRIMARY KEY (delivery_id, attempt)
);

-- Below its threshold or not, after the newest inventory.updated seen for each item.
CREATE TABLE low_stock_state (
    item_id text    PRIMARY KEY,
    low     boolean NOT NULL,
    version integer NOT NULL
);
