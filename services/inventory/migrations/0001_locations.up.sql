CREATE TABLE locations (
    id              text        NOT NULL,
    mode            text        NOT NULL CHECK (mode IN ('live', 'test')),
    organization_id text        NOT NULL,
    name            text        NOT NULL,
    is_default      boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         integer     NOT NULL,
    PRIMARY KEY (id, mode)
);
CREATE INDEX locations_listing ON locations (organization_id, mode, id DESC);
