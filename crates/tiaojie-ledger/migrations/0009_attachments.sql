-- Photos and scans of a case file (issue 18). `blobs` holds each content
-- once, named by its SHA-256; it is not projection (a fold again keeps it)
-- and an upper tier may lack the bytes of an attachment it knows of.
CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    kind TEXT NOT NULL,
    caption TEXT NOT NULL,
    file_name TEXT NOT NULL,
    width INTEGER,
    height INTEGER,
    on_date TEXT NOT NULL,
    unit TEXT NOT NULL,
    actor TEXT,
    removed_on TEXT,
    removed_reason TEXT
);
CREATE INDEX attachments_case ON attachments (case_id);
CREATE INDEX attachments_hash ON attachments (hash);
