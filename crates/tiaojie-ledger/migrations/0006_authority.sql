-- The hubs whose administrator this ledger takes the unit tree and the
-- county-wide settings from (learned at enrollment). A ledger with none is
-- standalone: its own administrator.
CREATE TABLE trusted_hubs (
    device TEXT PRIMARY KEY
) STRICT;
INSERT INTO trusted_hubs (device) SELECT value FROM sync_state WHERE key = 'hub.id';

-- Which unit registered a mediator first, in the order events arrived here.
CREATE INDEX events_roster ON events (json_extract(raw, '$.body.id'))
    WHERE kind = 'mediator_registered';

-- Wrong PINs in a row per name, for the wait and the lock at sign-in.
-- Local to the laptop, like the users.
CREATE TABLE sign_in_failures (
    name     TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at  TEXT NOT NULL
) STRICT;
