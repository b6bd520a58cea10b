-- The extension stays: another service's index may use it.
DROP INDEX products_name_search;
