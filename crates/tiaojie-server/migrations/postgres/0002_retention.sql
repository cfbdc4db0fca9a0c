-- Retention: the purge event that removed a case's personal data. The
-- case's events keep their place and links; their bytes become stubs.
ALTER TABLE hub_cases ADD COLUMN purged_by UUID;
