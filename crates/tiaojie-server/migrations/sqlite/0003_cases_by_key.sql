-- The cases the hub holds are only ever looked up by their id: keep the
-- rows in the id's order, one B-tree instead of a table and its index
-- (every upload opening cases writes here).
CREATE TABLE hub_cases_by_key (
    case_id     TEXT PRIMARY KEY,
    origin_unit TEXT NOT NULL,
    purged_by   TEXT
) STRICT, WITHOUT ROWID;
INSERT INTO hub_cases_by_key (case_id, origin_unit, purged_by)
  SELECT case_id, origin_unit, purged_by FROM hub_cases;
DROP TABLE hub_cases;
ALTER TABLE hub_cases_by_key RENAME TO hub_cases;
