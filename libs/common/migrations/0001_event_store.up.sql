-- The event store every service owns in its own schema (search_path is set per pool).

-- position: the global order of appends in this service; it may commit out of order
-- across streams, which is why publishing drains the outbox instead of tracking a
-- high-water mark over it.
CREATE TABLE events (
    position        bigserial PRIMARY KEY,
    id              text        NOT NULL UNIQUE,
    stream_id       text        NOT NULL,
    version         integer     NOT NULL CHECK (version > 0),
    type            text        NOT NULL,
    organization_id text,
    mode            text CHECK (mode IN ('live', 'test')),
    data            jsonb       NOT NULL,
    occurred_at     timestamptz NOT NULL,
    -- Optimistic concurrency: two appends of the same version cannot both commit.
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, version)
);

-- One row per stored event not yet confirmed by the broker; written in the append's
-- transaction, deleted after the confirm.
CREATE TABLE outbox (
    position    bigint      PRIMARY KEY REFERENCES events (position),
    enqueued_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Consumers record each event they applied in the same transaction as its effect.
CREATE TABLE processed_events (
    consumer     text        NOT NULL,
    event_id     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
