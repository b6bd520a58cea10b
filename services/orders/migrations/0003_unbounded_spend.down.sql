-- Deliberately keeps the wider types: a spend past numeric(14,2) would not fit back, and the
-- previous version reads and writes them as it did the narrower ones.
SELECT 1;
