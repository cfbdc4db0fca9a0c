-- A lean ledger file (issue 15: at most 2.5 KB per case at 100,000 cases).
-- The events are packed by the hook of this migration (0007_events.sql);
-- here the projection.

-- Tables read by their key alone keep their rows in the key's order, with
-- no second copy of the key in an index of its own.
CREATE TABLE parties_lean (
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
) STRICT, WITHOUT ROWID;
INSERT INTO parties_lean SELECT * FROM parties;
DROP TABLE parties;
ALTER TABLE parties_lean RENAME TO parties;
CREATE INDEX parties_by_name ON parties (name);

-- Only what is worth a word is kept: an event refused, or applied with a
-- note. An event folded with no row here took effect as it was.
CREATE TABLE outcomes_lean (
    event_id TEXT PRIMARY KEY,
    applied  INTEGER NOT NULL,
    reason   TEXT
) STRICT, WITHOUT ROWID;
INSERT INTO outcomes_lean SELECT * FROM outcomes WHERE NOT applied OR reason IS NOT NULL;
DROP TABLE outcomes;
ALTER TABLE outcomes_lean RENAME TO outcomes;

-- A case's gradings are read together, in clock order.
CREATE TABLE gradings_lean (
    event_id TEXT NOT NULL,
    case_id  TEXT NOT NULL,
    grade    TEXT NOT NULL,
    reason   TEXT NOT NULL,
    on_date  TEXT NOT NULL,
    unit     TEXT NOT NULL,
    actor    TEXT,
    hlc      INTEGER NOT NULL,
    PRIMARY KEY (case_id, hlc, event_id)
) STRICT, WITHOUT ROWID;
INSERT INTO gradings_lean SELECT * FROM gradings;
DROP TABLE gradings;
ALTER TABLE gradings_lean RENAME TO gradings;

-- Search: the index no longer keeps a copy of the text it indexes, nor the
-- positions of its trigrams (a search is a LIKE on the substring, which the
-- index narrows to the cases holding all its trigrams and SQLite then
-- checks). The text is read from the case: its number, facts and requests
-- from their columns, and `search` keeps only what the case row has nowhere
-- else (key persons, the parties' names, ID numbers, phones, addresses).
DROP TRIGGER cases_search_insert;
DROP TRIGGER cases_search_update;
DROP TRIGGER cases_search_delete;
DROP TABLE case_search;
UPDATE cases SET search = substr(search, length(number) + length(facts) + length(requests) + 4)
WHERE substr(search, 1, length(number) + length(facts) + length(requests) + 3)
      = number || char(10) || facts || char(10) || requests || char(10);
CREATE VIEW case_text (search_row, search) AS
  SELECT search_row, number || char(10) || facts || char(10) || requests || char(10) || search FROM cases;
CREATE VIRTUAL TABLE case_search USING fts5 (
    search, tokenize = 'trigram', detail = none, columnsize = 0,
    content = 'case_text', content_rowid = 'search_row'
);

-- A new case takes the next row of the index (not its own rowid, which a
-- VACUUM may renumber).
CREATE TRIGGER cases_search_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM projection_rebuild) BEGIN
  UPDATE cases SET search_row = (SELECT coalesce(max(search_row), 0) + 1 FROM cases) WHERE id = NEW.id;
  INSERT INTO case_search (rowid, search)
    SELECT search_row, search FROM case_text WHERE search_row = (SELECT search_row FROM cases WHERE id = NEW.id);
END;
CREATE TRIGGER cases_search_update AFTER UPDATE OF number, facts, requests, search ON cases
WHEN NOT EXISTS (SELECT 1 FROM projection_rebuild) BEGIN
  INSERT INTO case_search (case_search, rowid, search) VALUES ('delete', OLD.search_row,
    OLD.number || char(10) || OLD.facts || char(10) || OLD.requests || char(10) || OLD.search);
  INSERT INTO case_search (rowid, search) VALUES (NEW.search_row,
    NEW.number || char(10) || NEW.facts || char(10) || NEW.requests || char(10) || NEW.search);
END;
CREATE TRIGGER cases_search_delete AFTER DELETE ON cases
WHEN NOT EXISTS (SELECT 1 FROM projection_rebuild) BEGIN
  INSERT INTO case_search (case_search, rowid, search) VALUES ('delete', OLD.search_row,
    OLD.number || char(10) || OLD.facts || char(10) || OLD.requests || char(10) || OLD.search);
END;

-- A download takes in events whose place in the fold order is before what
-- the projection has folded (another laptop's work of last week): instead of
-- folding everything again for each frame of the feed, it marks the fold
-- pending here and folds once when the download ends (or when the ledger
-- next opens, or before anything is written here).
CREATE TABLE IF NOT EXISTS fold_pending (id INTEGER PRIMARY KEY CHECK (id = 1)) STRICT;

-- `cases_grade_received` begins with the grade: this one only repeats it.
DROP INDEX cases_grade;
