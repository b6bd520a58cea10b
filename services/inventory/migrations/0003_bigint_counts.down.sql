-- Deliberately keeps bigint: a count past 2^31 would not fit back into integer, and the
-- previous version reads and writes bigint counts as it did integer ones.
SELECT 1;
