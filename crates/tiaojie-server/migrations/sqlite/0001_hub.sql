-- The hub's store (SQLite). Times are RFC 3339 text in UTC, ids are
-- hyphenated UUID text, links are hex.

-- The hub's own identity: one row, made on first use.
CREATE TABLE hub_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hub_id TEXT NOT NULL,
    secret BLOB NOT NULL,
    signing_seed BLOB NOT NULL
) STRICT;

-- The unit tree the hub's administrator registered.
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    level INTEGER NOT NULL,
    parent TEXT
) STRICT;

CREATE TABLE enroll_codes (
    code_hash TEXT PRIMARY KEY,
    unit TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT
) STRICT;

CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    unit TEXT NOT NULL,
    public_key TEXT NOT NULL,
    label TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;

-- How far the hub has each device's chain.
CREATE TABLE device_heads (
    device_id TEXT PRIMARY KEY,
    acked_seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL
) STRICT;

-- Accepted events, numbered by hub_seq in commit order. origin_unit NULL:
-- the event reaches every unit.
CREATE TABLE events (
    hub_seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hlc INTEGER NOT NULL,
    kind TEXT NOT NULL,
    origin_unit TEXT,
    case_id TEXT,
    bytes BLOB NOT NULL,
    link TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (device_id, seq)
) STRICT;

-- Events the hub keeps (their links hold the chain) but serves to no one.
CREATE TABLE quarantine (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_id TEXT,
    link TEXT NOT NULL,
    bytes BLOB NOT NULL,
    reason TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT;

-- The unit each case was opened in: later events of the case follow it.
CREATE TABLE hub_cases (
    case_id TEXT PRIMARY KEY,
    origin_unit TEXT NOT NULL
) STRICT;

-- The last hub_seq handed out.
CREATE TABLE hub_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
) STRICT;

INSERT INTO hub_counter (id, last) VALUES (1, 0);
