-- The event log, lean: its JSON packed (`store::packed`: zstd against a
-- dictionary built into the program), its ids 16 bytes instead of 36
-- characters, its link 32 bytes instead of 64 hex digits, its arrival time
-- an integer. Run by the hook of 0007_lean.sql, with `event_pack`,
-- `event_json` and `uuid_blob` registered on the connection. The byte order
-- of an id is the order of its text, so the fold's order does not change.
CREATE TABLE events_packed (
    id          BLOB PRIMARY KEY,
    device      BLOB NOT NULL,
    seq         INTEGER NOT NULL,
    hlc         INTEGER NOT NULL,
    schema      INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    actor       TEXT,
    kind        TEXT NOT NULL,
    case_id     BLOB,
    -- The event's JSON exactly as its device first wrote it (what the
    -- device's signature and chain cover), packed: `event_json(raw)` reads it.
    raw         BLOB NOT NULL,
    -- Chain link after this event; kept for this device's own events.
    link        BLOB,
    -- When this ledger took the event in, in milliseconds since 1970 (UTC).
    received_at INTEGER NOT NULL,
    UNIQUE (device, seq)
) STRICT;
INSERT INTO events_packed
  SELECT uuid_blob(id), uuid_blob(device), seq, hlc, schema, unit, actor, kind, uuid_blob(case_id),
         event_pack(raw), unhex(link),
         CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER)
  FROM events ORDER BY rowid;
DROP TABLE events;
ALTER TABLE events_packed RENAME TO events;

-- The fold's order is (hlc, device, seq); two devices rarely share a stamp,
-- so the stamp alone orders the index and SQLite sorts the few ties.
CREATE INDEX events_order ON events (hlc);
CREATE INDEX events_case ON events (case_id) WHERE case_id IS NOT NULL;
-- The few registrations of mediators, read in the order they arrived.
CREATE INDEX events_roster ON events (kind) WHERE kind = 'mediator_registered';

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT EXISTS (SELECT 1 FROM log_repair WHERE reason = 'purge')
  OR NEW.id IS NOT OLD.id OR NEW.device IS NOT OLD.device OR NEW.seq IS NOT OLD.seq
  OR NEW.hlc IS NOT OLD.hlc OR NEW.unit IS NOT OLD.unit OR NEW.case_id IS NOT OLD.case_id
  OR NEW.link IS NOT OLD.link OR NEW.received_at IS NOT OLD.received_at
  OR NEW.kind IS NOT 'redacted'
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM log_repair)
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
