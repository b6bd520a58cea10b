-- `?q=` on customers is a substring match over name and email. A trigram index answers it
-- instead of reading every customer of the organization (as products' name search, see
-- catalog/0002_name_search). concat_ws() cannot be indexed (it is only stable), so the
-- searched text is a generated column built from immutable operators.
SELECT pg_advisory_xact_lock(hashtext('stacknex.extension.pg_trgm'));
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
ALTER TABLE customers ADD COLUMN search_text text GENERATED ALWAYS AS (
    coalesce(first_name || ' ', '') || coalesce(last_name || ' ', '') || email
) STORED;
CREATE INDEX customers_search ON customers USING gin (search_text public.gin_trgm_ops);
