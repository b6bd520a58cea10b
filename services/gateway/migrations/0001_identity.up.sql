-- Read models of the gateway's aggregates (rebuilt by `stacknex projections rebuild gateway`).
CREATE TABLE organizations (
    id                  text        PRIMARY KEY,
    name                text        NOT NULL,
    plan                text        NOT NULL CHECK (plan IN ('starter', 'professional', 'enterprise')),
    default_location_id text        NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             integer     NOT NULL
);

CREATE TABLE api_keys (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL REFERENCES organizations (id),
    mode            text        NOT NULL CHECK (mode IN ('live', 'test')),
    -- The 12-character public part of the key: how a presented key is found.
    public_id       text        NOT NULL UNIQUE,
    -- SHA-256 of the secret part; the secret itself is never stored.
    secret_hash     text        NOT NULL,
    scopes          text[]      NOT NULL,
    expires_at      timestamptz,
    revoked_at      timestamptz,
    created_at      timestamptz NOT NULL,
    version         integer     NOT NULL
);
CREATE INDEX api_keys_by_organization ON api_keys (organization_id, id DESC);
