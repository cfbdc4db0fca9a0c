-- The formal name a unit's seal carries on signed documents (issue 16),
-- e.g. 青山村人民调解委员会 for 青山村调解室; NULL: made from the name.
ALTER TABLE units ADD COLUMN committee TEXT;
