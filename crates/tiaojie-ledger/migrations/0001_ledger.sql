-- The ledger of one device: its identity, the append-only event log, and the
-- projection folded from it. Projection tables can always be rebuilt from
-- `events`; nothing else is the source of truth.

CREATE TABLE device (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    device_id  TEXT NOT NULL,
    unit_code  TEXT NOT NULL,
    lane       INTEGER NOT NULL DEFAULT 0,
    next_seq   INTEGER NOT NULL,
    -- Chain link after the device's latest event (hex; zeros before any).
    last_link  TEXT NOT NULL,
    hlc        INTEGER NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    device      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    hlc         INTEGER NOT NULL,
    schema      INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    actor       TEXT,
    kind        TEXT NOT NULL,
    case_id     TEXT,
    -- The event's JSON exactly as its device first wrote it: what the
    -- device's signature and chain cover.
    raw         TEXT NOT NULL,
    -- Chain link after this event; kept for this device's own events.
    link        TEXT,
    received_at TEXT NOT NULL,
    UNIQUE (device, seq)
) STRICT;
CREATE INDEX events_order ON events (hlc, device, seq);
CREATE INDEX events_case ON events (case_id) WHERE case_id IS NOT NULL;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
-- The one exception: a ledger restored from an old backup (or copied) moves
-- its own events that the hub never took to new sequence numbers, inside
-- one transaction that marks itself in `log_repair`.
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM log_repair)
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TABLE log_repair (reason TEXT NOT NULL) STRICT;

-- The order key of the last event folded into the projection.
CREATE TABLE fold_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_hlc    INTEGER NOT NULL,
    last_device TEXT NOT NULL,
    last_seq    INTEGER NOT NULL
) STRICT;
INSERT INTO fold_state VALUES (1, -1, '', 0);

-- Where this ledger stands with its hub (address, keys, cursors), changed in
-- the same transaction as the events it concerns.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Projection -----------------------------------------------------------------

-- Whether each event took effect; a rejected one keeps its reason so that a
-- conflict stays visible in the case history.
CREATE TABLE outcomes (
    event_id TEXT PRIMARY KEY,
    applied  INTEGER NOT NULL,
    reason   TEXT
) STRICT;

CREATE TABLE units (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    short_name TEXT NOT NULL,
    level      INTEGER NOT NULL,
    parent     TEXT
) STRICT;

CREATE TABLE mediators (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    phone       TEXT,
    unit        TEXT NOT NULL,
    role        TEXT NOT NULL,
    specialties TEXT NOT NULL,
    active      INTEGER NOT NULL
) STRICT;

CREATE TABLE grades (
    key          TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    cadence_days INTEGER NOT NULL,
    rank         INTEGER NOT NULL,
    color        TEXT NOT NULL
) STRICT;

CREATE TABLE cases (
    id               TEXT PRIMARY KEY,
    unit             TEXT NOT NULL,       -- the owner, moves on accepted escalation
    origin_unit      TEXT NOT NULL,
    number           TEXT NOT NULL,
    number_year      INTEGER NOT NULL,
    number_lane      INTEGER NOT NULL,
    number_seq       INTEGER NOT NULL,
    received_on      TEXT NOT NULL,
    dispute_type     TEXT NOT NULL,
    source           TEXT NOT NULL,
    mediation_type   TEXT NOT NULL,
    facts            TEXT NOT NULL,
    requests         TEXT NOT NULL,
    amount_fen       INTEGER NOT NULL,
    people_involved  INTEGER NOT NULL,
    petition_risk    INTEGER NOT NULL,
    criminal_risk    INTEGER NOT NULL,
    key_persons      TEXT NOT NULL,
    mediator         TEXT,
    status           TEXT NOT NULL,
    grade            TEXT,
    graded_on        TEXT,
    last_visit_on    TEXT,
    sessions         INTEGER NOT NULL DEFAULT 0,
    failed_sessions  INTEGER NOT NULL DEFAULT 0,
    pending_escalation TEXT,
    agreed_on        TEXT,
    closed_on        TEXT,
    closing_outcome  TEXT,
    search           TEXT NOT NULL,
    opened_hlc       INTEGER NOT NULL,
    UNIQUE (origin_unit, number_year, number_lane, number_seq)
) STRICT;
CREATE INDEX cases_unit_status ON cases (unit, status);
CREATE INDEX cases_received ON cases (received_on);
CREATE INDEX cases_grade ON cases (grade) WHERE closed_on IS NULL;

CREATE TABLE parties (
    case_id    TEXT NOT NULL,
    idx        INTEGER NOT NULL,
    side       TEXT NOT NULL,
    name       TEXT NOT NULL,
    gender     TEXT,
    ethnicity  TEXT,
    birth_date TEXT,
    age        INTEGER,
    occupation TEXT,
    phone      TEXT,
    address    TEXT,
    id_number  TEXT,
    PRIMARY KEY (case_id, idx)
) STRICT;

CREATE TABLE gradings (
    event_id TEXT PRIMARY KEY,
    case_id  TEXT NOT NULL,
    grade    TEXT NOT NULL,
    reason   TEXT NOT NULL,
    on_date  TEXT NOT NULL,
    unit     TEXT NOT NULL,
    actor    TEXT,
    hlc      INTEGER NOT NULL
) STRICT;
CREATE INDEX gradings_case ON gradings (case_id, hlc);

CREATE TABLE escalations (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL,
    from_unit    TEXT NOT NULL,
    to_unit      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'returned')),
    answered_on  TEXT,
    answer       TEXT
) STRICT;
CREATE INDEX escalations_to ON escalations (to_unit, status);
CREATE INDEX escalations_case ON escalations (case_id);

CREATE TABLE supports (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL,
    from_unit    TEXT NOT NULL,
    to_unit      TEXT NOT NULL,
    matter       TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    reply        TEXT,
    answered_on  TEXT
) STRICT;
CREATE INDEX supports_case ON supports (case_id);

CREATE TABLE referrals (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    department  TEXT NOT NULL,
    receiver    TEXT NOT NULL,
    matter      TEXT NOT NULL,
    deadline    TEXT NOT NULL,
    referred_on TEXT NOT NULL,
    outcome     TEXT,
    answered_on TEXT
) STRICT;
CREATE INDEX referrals_case ON referrals (case_id);

CREATE TABLE sessions (
    id        TEXT PRIMARY KEY,
    case_id   TEXT NOT NULL,
    on_date   TEXT NOT NULL,
    place     TEXT NOT NULL,
    mediators TEXT NOT NULL,
    attendees TEXT NOT NULL,
    summary   TEXT NOT NULL,
    result    TEXT NOT NULL,
    unit      TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_case ON sessions (case_id);

CREATE TABLE agreements (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL UNIQUE,
    form       TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    terms      TEXT NOT NULL,
    amount_fen INTEGER NOT NULL
) STRICT;

CREATE TABLE performances (
    event_id  TEXT PRIMARY KEY,
    case_id   TEXT NOT NULL,
    on_date   TEXT NOT NULL,
    note      TEXT NOT NULL,
    fulfilled INTEGER NOT NULL
) STRICT;
CREATE INDEX performances_case ON performances (case_id);

CREATE TABLE followups (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL,
    on_date      TEXT NOT NULL,
    visitor      TEXT NOT NULL,
    performance  TEXT NOT NULL,
    satisfaction TEXT,
    lawsuit      INTEGER NOT NULL,
    new_risk     TEXT NOT NULL,
    measures     TEXT NOT NULL,
    unit         TEXT NOT NULL
) STRICT;
CREATE INDEX followups_case ON followups (case_id);

CREATE TABLE screenings (
    id           TEXT PRIMARY KEY,
    unit         TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    on_date      TEXT NOT NULL,
    found        INTEGER NOT NULL,
    note         TEXT NOT NULL,
    UNIQUE (unit, period_start, period_end)
) STRICT;
