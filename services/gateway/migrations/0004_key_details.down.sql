DROP TABLE api_key_usage;
DROP INDEX api_keys_by_organization_mode;
ALTER TABLE api_keys DROP COLUMN rolled_from, DROP COLUMN created_by, DROP COLUMN name;
