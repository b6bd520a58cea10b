-- Members of an organization: the read model of the member aggregate (rebuilt with the
-- others by `stacknex projections rebuild gateway`).
CREATE TABLE members (
    id                text        PRIMARY KEY,
    organization_id   text        NOT NULL REFERENCES organizations (id),
    email             text        NOT NULL,
    name              text,
    role              text        NOT NULL CHECK (role IN ('owner', 'developer', 'viewer')),
    status            text        NOT NULL CHECK (status IN ('invited', 'active', 'removed')),
    -- argon2id (PHC string); null until the member joins, and again once removed.
    password_hash     text,
    -- SHA-256 of the invite token, until it is used: how an invite link finds its member.
    invite_hash       text        UNIQUE,
    invite_expires_at timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           integer     NOT NULL
);
-- An email signs in to one member: it may be invited again only once removed.
CREATE UNIQUE INDEX members_by_email ON members (email) WHERE status <> 'removed';
CREATE INDEX members_by_organization ON members (organization_id, id);

-- Dashboard sessions: state, not history, so not event-sourced. The token (the cookie's
-- value) is stored only as its SHA-256; the CSRF secret is derived from the token.
CREATE TABLE member_sessions (
    token_hash      text        PRIMARY KEY,
    member_id       text        NOT NULL,
    organization_id text        NOT NULL,
    created_at      timestamptz NOT NULL,
    -- Written at most once a minute by an authenticated request: the idle timeout counts
    -- from here, so it is up to a minute generous.
    last_seen_at    timestamptz NOT NULL,
    revoked_at      timestamptz
);
CREATE INDEX member_sessions_by_member ON member_sessions (member_id) WHERE revoked_at IS NULL;
