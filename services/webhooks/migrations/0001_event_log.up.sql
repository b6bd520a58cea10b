-- Every event of every service as clients see it: the source of the Events API and of
-- webhook deliveries. Kept at least 30 days (CONVENTIONS: Events API).
CREATE TABLE event_log (
    id              text        PRIMARY KEY,
    type            text        NOT NULL,
    organization_id text,
    mode            text,
    occurred_at     timestamptz NOT NULL,
    body            jsonb       NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now()
);
-- The Events API lists an organization's events newest first, by mode.
CREATE INDEX event_log_org_listing ON event_log (organization_id, mode, id DESC);
