-- The extension stays: another service's index may use it.
DROP INDEX customers_search;
ALTER TABLE customers DROP COLUMN search_text;
