-- Retention: a closed case past its period is purged. Its events stay in
-- the log where they were, with their chain links, but their content is
-- replaced by a stub; this is the only change the log allows, and only
-- inside a purge (marked in `log_repair`).

DROP TRIGGER events_no_update;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT EXISTS (SELECT 1 FROM log_repair WHERE reason = 'purge')
  OR NEW.id IS NOT OLD.id OR NEW.device IS NOT OLD.device OR NEW.seq IS NOT OLD.seq
  OR NEW.hlc IS NOT OLD.hlc OR NEW.unit IS NOT OLD.unit OR NEW.case_id IS NOT OLD.case_id
  OR NEW.link IS NOT OLD.link OR NEW.received_at IS NOT OLD.received_at
  OR NEW.kind IS NOT 'redacted'
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Projection: the cases purged, so that an event of one that arrives late
-- is stubbed as it comes in.
CREATE TABLE purged_cases (
    case_id    TEXT PRIMARY KEY,
    purge_event TEXT NOT NULL,
    on_date    TEXT NOT NULL
) STRICT;
