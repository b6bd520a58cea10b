-- Keys get a name, the actor who made them and, for a roll's new key, the key it replaced.
-- Keys made before were all made by the operator's CLI, under no name.
ALTER TABLE api_keys
    ADD COLUMN name        text NOT NULL DEFAULT 'CLI key',
    ADD COLUMN created_by  text NOT NULL DEFAULT 'operator',
    ADD COLUMN rolled_from text;
-- The defaults served the rows already there; every new row names both itself.
ALTER TABLE api_keys ALTER COLUMN name DROP DEFAULT, ALTER COLUMN created_by DROP DEFAULT;
-- The dashboard lists one organization's keys in one mode, newest first.
CREATE INDEX api_keys_by_organization_mode ON api_keys (organization_id, mode, id DESC);

-- When each key last authenticated: telemetry that each gateway replica gathers in memory
-- and writes every 30 s in one statement (adapters/key_usage.py), not a fact of the key's
-- history, so not an event. A table of its own rather than a column of api_keys: the
-- rebuild (`stacknex projections rebuild gateway`) empties api_keys and replays the
-- events, which know nothing of it; here it survives, and the rebuilt rows stay the same.
-- No foreign key for the same reason: TRUNCATE api_keys must not need to cascade here.
CREATE TABLE api_key_usage (
    key_id       text        PRIMARY KEY,
    last_used_at timestamptz NOT NULL
);
