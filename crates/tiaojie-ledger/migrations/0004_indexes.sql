-- Queries of the app that must stay fast at 100,000 cases and more.

-- The ledger's default order (newest first) and a grade filter read an index
-- in order and stop at the page instead of sorting every case.
DROP INDEX cases_received;
CREATE INDEX cases_received ON cases (received_on, number_seq);
CREATE INDEX cases_grade_received ON cases (grade, received_on, number_seq);

-- Follow-ups due: for each grade, the open cases whose last visit (or grading)
-- is at least the grade's cadence ago, read from an index on that date (with
-- the unit, so that counting them reads the index alone).
CREATE INDEX cases_due ON cases (grade, max(graded_on, coalesce(last_visit_on, graded_on)), unit)
  WHERE closed_on IS NULL;

-- Search: a trigram index of each case's search text finds a substring of
-- three characters or more (Chinese names, ID numbers, phones, facts)
-- without reading every case. `search_row` is the case's row in it. Secure
-- delete: a purged case's text leaves the index's pages, not only its rows.
-- The index and the counts below are filled from the cases by
-- `fold::rebuild_derived`, which runs after this migration.
CREATE VIRTUAL TABLE case_search USING fts5 (search, tokenize = 'trigram');
ALTER TABLE cases ADD COLUMN search_row INTEGER;
CREATE INDEX cases_search_row ON cases (search_row);

-- While a refold rebuilds the projection (a row here), the triggers below
-- stand aside and the refold rebuilds the index and the counts in bulk.
CREATE TABLE projection_rebuild (id INTEGER PRIMARY KEY CHECK (id = 1)) STRICT;

CREATE TRIGGER cases_search_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM projection_rebuild) BEGIN
  INSERT INTO case_search (search) VALUES (NEW.search);
  UPDATE cases SET search_row = last_insert_rowid() WHERE id = NEW.id;
END;
CREATE TRIGGER cases_search_update AFTER UPDATE OF search ON cases
WHEN NOT EXISTS (SELECT 1 FROM projection_rebuild) BEGIN
  UPDATE case_search SET search = NEW.search WHERE rowid = OLD.search_row;
END;
CREATE TRIGGER cases_search_delete AFTER DELETE ON cases
WHEN NOT EXISTS (SELECT 1 FROM projection_rebuild) BEGIN
  DELETE FROM case_search WHERE rowid = OLD.search_row;
END;

-- Statistics: the cases counted by everything the statistics page groups
-- by, kept as the projection changes, so that the page reads a few thousand
-- counts instead of every case. Empty strings stand for "none" (a key
-- column cannot be NULL and still be one key).
CREATE TABLE case_counts (
    unit          TEXT NOT NULL,
    received_on   TEXT NOT NULL,
    grade         TEXT NOT NULL,
    dispute_type  TEXT NOT NULL,
    source        TEXT NOT NULL,
    status        TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    closed        INTEGER NOT NULL,
    petition_risk INTEGER NOT NULL,
    criminal_risk INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (unit, received_on, grade, dispute_type, source, status, outcome, closed,
                 petition_risk, criminal_risk)
) STRICT, WITHOUT ROWID;

-- A change of the counts goes through this view: adding (key, n) adds n to
-- the key's count, and a count down to zero goes.
CREATE VIEW case_count_changes AS SELECT * FROM case_counts;
CREATE TRIGGER case_count_change INSTEAD OF INSERT ON case_count_changes BEGIN
  INSERT INTO case_counts VALUES (NEW.unit, NEW.received_on, NEW.grade, NEW.dispute_type, NEW.source,
      NEW.status, NEW.outcome, NEW.closed, NEW.petition_risk, NEW.criminal_risk, NEW.n)
  ON CONFLICT (unit, received_on, grade, dispute_type, source, status, outcome, closed,
               petition_risk, criminal_risk) DO UPDATE SET n = n + excluded.n;
  DELETE FROM case_counts
  WHERE unit = NEW.unit AND received_on = NEW.received_on AND grade = NEW.grade
    AND dispute_type = NEW.dispute_type AND source = NEW.source AND status = NEW.status
    AND outcome = NEW.outcome AND closed = NEW.closed AND petition_risk = NEW.petition_risk
    AND criminal_risk = NEW.criminal_risk AND n <= 0;
END;

CREATE TRIGGER cases_count_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM projection_rebuild) BEGIN
  INSERT INTO case_count_changes VALUES (NEW.unit, NEW.received_on, coalesce(NEW.grade, ''),
      NEW.dispute_type, NEW.source, NEW.status, coalesce(NEW.closing_outcome, ''),
      NEW.closed_on IS NOT NULL, NEW.petition_risk, NEW.criminal_risk, 1);
END;

CREATE TRIGGER cases_count_delete AFTER DELETE ON cases
WHEN NOT EXISTS (SELECT 1 FROM projection_rebuild) BEGIN
  INSERT INTO case_count_changes VALUES (OLD.unit, OLD.received_on, coalesce(OLD.grade, ''),
      OLD.dispute_type, OLD.source, OLD.status, coalesce(OLD.closing_outcome, ''),
      OLD.closed_on IS NOT NULL, OLD.petition_risk, OLD.criminal_risk, -1);
END;

CREATE TRIGGER cases_count_update
AFTER UPDATE OF unit, received_on, grade, dispute_type, source, status, closing_outcome, closed_on,
                petition_risk, criminal_risk ON cases
WHEN NOT EXISTS (SELECT 1 FROM projection_rebuild) BEGIN
  INSERT INTO case_count_changes VALUES (OLD.unit, OLD.received_on, coalesce(OLD.grade, ''),
      OLD.dispute_type, OLD.source, OLD.status, coalesce(OLD.closing_outcome, ''),
      OLD.closed_on IS NOT NULL, OLD.petition_risk, OLD.criminal_risk, -1);
  INSERT INTO case_count_changes VALUES (NEW.unit, NEW.received_on, coalesce(NEW.grade, ''),
      NEW.dispute_type, NEW.source, NEW.status, coalesce(NEW.closing_outcome, ''),
      NEW.closed_on IS NOT NULL, NEW.petition_risk, NEW.criminal_risk, 1);
END;
