-- Sealed bodies cannot be read by the previous version: forget them rather than replay ciphertext.
DELETE FROM idempotency_keys WHERE sealed;
ALTER TABLE idempotency_keys DROP COLUMN IF EXISTS sealed;
