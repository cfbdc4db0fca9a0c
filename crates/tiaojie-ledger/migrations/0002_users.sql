-- Who may do what on this laptop, and a record of every look at personal
-- numbers in full and every export. Local to the device: not events, not
-- synced, not touched by a refold.

CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('mediator', 'officer', 'supervisor', 'admin')),
    -- Argon2id hash of the PIN, in PHC string form.
    pin        TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
) STRICT;

-- What was done, by whom, to what (a case number or a filter): never the
-- personal data itself.
CREATE TABLE access_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    user   TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL
) STRICT;
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
