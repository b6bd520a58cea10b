-- `?q=` is a substring match on the name. Without an index it reads every live product of
-- the organization (measured by bench/scale.py: 13x slower at 20,000 products than at
-- 1,000), so a trigram index answers it instead. pg_trgm is a trusted extension that ships
-- with PostgreSQL; it is database-wide, so it lives in `public` and the lock keeps two
-- services' migrations from creating it at the same moment.
SELECT pg_advisory_xact_lock(hashtext('stacknex.extension.pg_trgm'));
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX products_name_search ON products USING gin (name public.gin_trgm_ops)
    WHERE deleted_at IS NULL;
