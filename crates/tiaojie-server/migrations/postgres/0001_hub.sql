-- The hub's store (PostgreSQL).

-- The hub's own identity: one row, made on first use.
CREATE TABLE hub_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hub_id UUID NOT NULL,
    secret BYTEA NOT NULL,
    signing_seed BYTEA NOT NULL
);

-- The unit tree the hub's administrator registered.
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    level SMALLINT NOT NULL,
    parent TEXT
);

CREATE TABLE enroll_codes (
    code_hash TEXT PRIMARY KEY,
    unit TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    used_by UUID
);

CREATE TABLE devices (
    id UUID PRIMARY KEY,
    unit TEXT NOT NULL,
    public_key TEXT NOT NULL,
    label TEXT NOT NULL,
    enrolled_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);

-- How far the hub has each device's chain; its row lock serialises the
-- uploads of one device.
CREATE TABLE device_heads (
    device_id UUID PRIMARY KEY,
    acked_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);

-- Accepted events, numbered by hub_seq in commit order (see hub_counter).
-- origin_unit NULL: the event reaches every unit.
CREATE TABLE events (
    hub_seq BIGINT PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    device_id UUID NOT NULL,
    seq BIGINT NOT NULL,
    hlc BIGINT NOT NULL,
    kind TEXT NOT NULL,
    origin_unit TEXT,
    case_id UUID,
    bytes BYTEA NOT NULL,
    link TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    UNIQUE (device_id, seq)
);

-- Events the hub keeps (their links hold the chain) but serves to no one.
CREATE TABLE quarantine (
    device_id UUID NOT NULL,
    seq BIGINT NOT NULL,
    event_id UUID,
    link TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    reason TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (device_id, seq)
);

-- The unit each case was opened in: later events of the case follow it.
CREATE TABLE hub_cases (
    case_id UUID PRIMARY KEY,
    origin_unit TEXT NOT NULL
);

-- The last hub_seq handed out. Not a sequence: sequence values commit out
-- of order, while this row's lock, taken as the last step of an upload,
-- hands out numbers in commit order.
CREATE TABLE hub_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last BIGINT NOT NULL
);

INSERT INTO hub_counter (id, last) VALUES (1, 0);
