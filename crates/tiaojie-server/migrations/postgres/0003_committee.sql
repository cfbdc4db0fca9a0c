-- The formal name a unit's seal carries on signed documents; NULL: made
-- from the name.
ALTER TABLE units ADD COLUMN committee TEXT;
