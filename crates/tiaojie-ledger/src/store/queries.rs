//! Reading the projection: the ledger list, follow-ups due, the to-do lists
//! of hand-overs, and the roster.

use super::{Ledger, parse_uuid};
use crate::domain::labels::{CaseStatus, DisputeType, MediatorRole, printed};
use crate::domain::scheme::{DueState, Grade, Scheme, due_state, next_visit};
use crate::domain::unit::{MediatorSpec, UnitSpec};
use crate::error::{Entity, LedgerError, Result};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params_from_iter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use super::todo::{EscalationItem, ReferralItem};

/// Which units a query covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Scope {
    pub unit: String,
    /// Include every unit below `unit`.
    pub subtree: bool,
}

impl Scope {
    /// SQL matching `column` against the scope; binds one parameter.
    pub(crate) fn sql(&self, column: &str) -> String {
        if self.subtree {
            format!(
                "{column} IN (WITH RECURSIVE sub(code, depth) AS (SELECT ?, 0 UNION ALL
                  SELECT u.code, sub.depth + 1 FROM units u JOIN sub ON u.parent = sub.code WHERE sub.depth < 10)
                  SELECT code FROM sub)"
            )
        } else {
            format!("{column} = ?")
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Received,
    Number,
    Grade,
    Status,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
#[ts(optional_fields = nullable)]
pub struct CaseFilter {
    pub grades: Vec<String>,
    pub statuses: Vec<CaseStatus>,
    pub dispute_types: Vec<DisputeType>,
    /// Level of the owning unit.
    pub level: Option<u8>,
    pub scope: Option<Scope>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Matches names, ID numbers, phones, facts, the case number.
    pub text: Option<String>,
    /// For a user not allowed to see numbers in full: an ID number or a
    /// phone matches `text` only whole, or by its last four digits, so that
    /// a number cannot be rebuilt from searches for its parts. Set by the
    /// shell from the signed-in user (`Ledger::restrict_search`), never
    /// taken from the screen.
    #[serde(skip)]
    pub whole_numbers_only: bool,
    pub sort: SortKey,
    pub ascending: bool,
    pub offset: u32,
    /// 0 means the default of 50.
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaseRow {
    pub id: Uuid,
    pub number: String,
    pub unit: String,
    pub unit_name: String,
    pub level: u8,
    pub received_on: NaiveDate,
    pub dispute_type: String,
    pub source: String,
    pub status: String,
    pub grade: Option<String>,
    pub grade_name: Option<String>,
    pub grade_color: Option<String>,
    pub parties: String,
    pub escalation_pending: bool,
    pub closed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Page<T> {
    pub total: u64,
    pub rows: Vec<T>,
}

/// A follow-up visit that is due or overdue on the day asked.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DueVisit {
    pub case_id: Uuid,
    pub number: String,
    pub unit: String,
    pub parties: String,
    pub grade: String,
    pub grade_name: String,
    pub grade_color: String,
    pub cadence_days: u32,
    pub next_visit: NaiveDate,
    pub state: DueState,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct UnitRow {
    #[serde(flatten)]
    pub spec: UnitSpec,
    pub level_name: &'static str,
    /// The name on its seal (`UnitSpec::committee_name`).
    pub seal_name: String,
}

const CASE_COLUMNS: &str = "c.id, c.number, c.unit, u.name, u.level, c.received_on, c.dispute_type, c.source, c.status,
     c.grade, g.name, g.color,
     (SELECT group_concat(p.name, '、') FROM (SELECT name FROM parties WHERE case_id = c.id ORDER BY idx) p),
     c.pending_escalation IS NOT NULL, c.closed_on";

fn case_row(r: &Row<'_>) -> rusqlite::Result<(String, CaseRow)> {
    Ok((
        r.get(0)?,
        CaseRow {
            id: Uuid::nil(),
            number: r.get(1)?,
            unit: r.get(2)?,
            unit_name: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            level: r.get::<_, Option<u8>>(4)?.unwrap_or(0),
            received_on: r.get(5)?,
            dispute_type: printed::<DisputeType>(&r.get::<_, String>(6)?),
            source: printed::<crate::domain::labels::Source>(&r.get::<_, String>(7)?),
            status: printed::<CaseStatus>(&r.get::<_, String>(8)?),
            grade: r.get(9)?,
            grade_name: r.get(10)?,
            grade_color: r.get(11)?,
            parties: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
            escalation_pending: r.get(13)?,
            closed_on: r.get(14)?,
        },
    ))
}

/// A search with digits in it by a user who may not see numbers in full:
/// a whole ID number or phone finds its party, four digits find the
/// parties whose numbers end with them; any other text with digits is
/// looked for in the case number, facts and requests only.
fn number_search(text: &str, clauses: &mut Vec<String>, args: &mut Vec<Value>) {
    let upper = text.to_ascii_uppercase();
    let digits = upper.chars().all(|c| c.is_ascii_digit());
    let id_like = (upper.len() == 18
        && upper[..17].chars().all(|c| c.is_ascii_digit())
        && upper.ends_with(|c: char| c.is_ascii_digit() || c == 'X'))
        || (digits && upper.len() == 15);
    let like = Value::Text(like_pattern(text));
    if id_like || (digits && upper.len() == 11) {
        clauses
            .push("c.id IN (SELECT case_id FROM parties WHERE id_number = ? OR phone = ?)".into());
        args.push(Value::Text(upper.clone()));
        args.push(Value::Text(upper));
    } else if digits && upper.len() == 4 {
        clauses.push(
            "(c.number LIKE ? ESCAPE '\\' OR c.id IN (SELECT case_id FROM parties
                WHERE substr(id_number, -4) = ? OR substr(phone, -4) = ?))"
                .into(),
        );
        args.push(like);
        args.push(Value::Text(upper.clone()));
        args.push(Value::Text(upper));
    } else {
        clauses.push(
            "(c.number LIKE ? ESCAPE '\\' OR c.facts LIKE ? ESCAPE '\\' OR c.requests LIKE ? ESCAPE '\\')"
                .into(),
        );
        args.extend([like.clone(), like.clone(), like]);
    }
}

/// Escapes LIKE wildcards so that a search for "100%" means the text.
pub(crate) fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A case's search text, as the index reads it (the view `case_text`).
pub(crate) const CASE_TEXT: &str =
    "(c.number || char(10) || c.facts || char(10) || c.requests || char(10) || c.search)";

impl Ledger {
    pub fn units(&self) -> Result<Vec<UnitRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT code, name, short_name, level, parent, committee FROM units
             ORDER BY level DESC, code",
        )?;
        let rows = stmt.query_map([], |r| {
            let spec = UnitSpec {
                code: r.get(0)?,
                name: r.get(1)?,
                short_name: r.get(2)?,
                level: r.get(3)?,
                parent: r.get(4)?,
                committee: r.get(5)?,
            };
            Ok(UnitRow {
                level_name: crate::domain::unit::level_label(spec.level),
                seal_name: spec.committee_name(),
                spec,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn mediators(&self, scope: Option<&Scope>) -> Result<Vec<MediatorSpec>> {
        let (clause, args) = match scope {
            Some(s) => (format!("WHERE {}", s.sql("unit")), vec![s.unit.clone()]),
            None => (String::new(), vec![]),
        };
        let mut stmt = self.conn().prepare(&format!(
            "SELECT id, name, phone, unit, role, specialties, active FROM mediators {clause} ORDER BY unit, name, id"
        ))?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, phone, unit, role, specialties, active) = row?;
            out.push(MediatorSpec {
                id: parse_uuid(&id)?,
                name,
                phone,
                unit,
                role: MediatorRole::parse(&role, "role")?,
                specialties: serde_json::from_str(&specialties)?,
                active,
            });
        }
        Ok(out)
    }

    pub fn mediator(&self, id: Uuid) -> Result<MediatorSpec> {
        self.mediators(None)?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| LedgerError::not_found(Entity::Mediator, id))
    }

    pub fn scheme(&self) -> Result<Scheme> {
        let mut stmt = self.conn().prepare(
            "SELECT key, name, cadence_days, rank, color FROM grades ORDER BY rank DESC",
        )?;
        let grades = stmt.query_map([], |r| {
            Ok(Grade {
                key: r.get(0)?,
                name: r.get(1)?,
                cadence_days: r.get(2)?,
                rank: r.get(3)?,
                color: r.get(4)?,
            })
        })?;
        Ok(Scheme {
            grades: grades.collect::<rusqlite::Result<_>>()?,
        })
    }

    /// The ledger table: filtered, sorted, one page.
    pub fn list_cases(&self, f: &CaseFilter) -> Result<Page<CaseRow>> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        let any_of = |column: &str,
                      values: Vec<String>,
                      clauses: &mut Vec<String>,
                      args: &mut Vec<Value>| {
            if !values.is_empty() {
                clauses.push(format!(
                    "{column} IN ({})",
                    vec!["?"; values.len()].join(", ")
                ));
                args.extend(values.into_iter().map(Value::Text));
            }
        };
        any_of("c.grade", f.grades.clone(), &mut clauses, &mut args);
        any_of(
            "c.status",
            f.statuses.iter().map(|s| s.key().to_string()).collect(),
            &mut clauses,
            &mut args,
        );
        any_of(
            "c.dispute_type",
            f.dispute_types
                .iter()
                .map(|s| s.key().to_string())
                .collect(),
            &mut clauses,
            &mut args,
        );
        if let Some(level) = f.level {
            clauses.push("u.level = ?".into());
            args.push(Value::Integer(level.into()));
        }
        if let Some(scope) = &f.scope {
            clauses.push(scope.sql("c.unit"));
            args.push(Value::Text(scope.unit.clone()));
        }
        if let Some(from) = f.received_from {
            clauses.push("c.received_on >= ?".into());
            args.push(Value::Text(from.to_string()));
        }
        if let Some(to) = f.received_to {
            clauses.push("c.received_on <= ?".into());
            args.push(Value::Text(to.to_string()));
        }
        if let Some(text) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            if f.whole_numbers_only && text.chars().any(|c| c.is_ascii_digit()) {
                number_search(text, &mut clauses, &mut args);
            } else if text.chars().count() >= 3 && !text.contains(['%', '_']) {
                // The trigram index narrows a substring of three characters
                // or more to the cases holding all its trigrams (a LIKE
                // with an ESCAPE it would not take).
                clauses.push(
                    "c.search_row IN (SELECT rowid FROM case_search WHERE search LIKE ?)".into(),
                );
                args.push(Value::Text(format!("%{text}%")));
            } else {
                clauses.push(format!("{CASE_TEXT} LIKE ? ESCAPE '\\'"));
                args.push(Value::Text(like_pattern(text)));
            }
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let from = "FROM cases c LEFT JOIN units u ON u.code = c.unit LEFT JOIN grades g ON g.key = c.grade";
        // The count needs the joins only to filter by level.
        let count_from = if f.level.is_some() {
            from
        } else {
            "FROM cases c"
        };
        let total: i64 = self.conn().query_row(
            &format!("SELECT count(*) {count_from} {filter}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let dir = if f.ascending { "ASC" } else { "DESC" };
        let order = match f.sort {
            SortKey::Received => format!("c.received_on {dir}, c.number_seq {dir}"),
            SortKey::Number => format!(
                "c.origin_unit {dir}, c.number_year {dir}, c.number_lane {dir}, c.number_seq {dir}"
            ),
            SortKey::Grade => format!("coalesce(g.rank, 0) {dir}, c.received_on DESC"),
            SortKey::Status => format!("c.status {dir}, c.received_on DESC"),
        };
        let limit = if f.limit == 0 { 50 } else { f.limit.min(1000) };
        let sql = format!(
            "SELECT {CASE_COLUMNS} {from} {filter} ORDER BY {order}, c.id LIMIT {limit} OFFSET {}",
            f.offset
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), case_row)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, mut case) = row?;
            case.id = parse_uuid(&id)?;
            out.push(case);
        }
        Ok(Page {
            total: total as u64,
            rows: out,
        })
    }

    pub fn case_row(&self, id: Uuid) -> Result<CaseRow> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN units u ON u.code = c.unit LEFT JOIN grades g ON g.key = c.grade WHERE c.id = ?1"
        );
        let (_, mut row) = self
            .conn()
            .query_row(&sql, [id.to_string()], case_row)
            .optional()?
            .ok_or_else(|| LedgerError::not_found(Entity::Case, id))?;
        row.id = id;
        Ok(row)
    }

    /// Follow-up visits due or overdue on `on` for open graded cases in
    /// `scope`: most serious grade first, then longest overdue.
    pub fn due_visits(&self, on: NaiveDate, scope: &Scope) -> Result<Vec<DueVisit>> {
        Ok(self.due_page(on, scope, None)?.rows)
    }

    /// The follow-ups due, as `due_visits` orders them, at most `limit` of
    /// them, with how many are due in all and per grade. Each grade is a
    /// range of the index `cases_due`: the open cases last visited (or
    /// graded) at least its cadence before `on`.
    pub fn due_page(&self, on: NaiveDate, scope: &Scope, limit: Option<u32>) -> Result<DuePage> {
        self.due_in(on, scope, limit, None, None)
    }

    /// As `due_page`, of the cases whose 承办调解员 is named `mediator`
    /// (只看我承办的).
    pub fn due_page_of_mediator(
        &self,
        on: NaiveDate,
        scope: &Scope,
        limit: Option<u32>,
        mediator: &str,
    ) -> Result<DuePage> {
        self.due_in(on, scope, limit, None, Some(mediator))
    }

    /// The follow-ups of one grade due or overdue on `on`: what the desktop
    /// reminders ask for every hour, without counting the other grades.
    pub fn due_visits_of(
        &self,
        on: NaiveDate,
        scope: &Scope,
        grade: &str,
    ) -> Result<Vec<DueVisit>> {
        Ok(self.due_in(on, scope, None, Some(grade), None)?.rows)
    }

    fn due_in(
        &self,
        on: NaiveDate,
        scope: &Scope,
        limit: Option<u32>,
        only: Option<&str>,
        mediator: Option<&str>,
    ) -> Result<DuePage> {
        // One mediator's cases: a parameter more, last. Everyone's are
        // counted from the index alone.
        let mediator = mediator.map(str::trim);
        let filter = format!(
            "c.grade = ? AND c.closed_on IS NULL
             AND max(c.graded_on, coalesce(c.last_visit_on, c.graded_on)) <= ? AND {}{}",
            scope.sql("c.unit"),
            if mediator.is_some() {
                " AND c.mediator IN (SELECT m.id FROM mediators m WHERE m.name = ?)"
            } else {
                ""
            }
        );
        let mut count = self
            .conn()
            .prepare(&format!("SELECT count(*) FROM cases c WHERE {filter}"))?;
        let mut page = self.conn().prepare(&format!(
            "SELECT c.id, c.number, c.unit,
                (SELECT group_concat(p.name, '、') FROM (SELECT name FROM parties WHERE case_id = c.id ORDER BY idx) p),
                max(c.graded_on, coalesce(c.last_visit_on, c.graded_on)) AS anchor
             FROM cases c WHERE {filter} ORDER BY anchor, c.number LIMIT ?"
        ))?;
        let mut out = DuePage {
            total: 0,
            by_grade: Vec::new(),
            rows: Vec::new(),
        };
        let mut left = limit.map_or(i64::MAX, i64::from);
        for g in self.scheme()?.grades {
            if only.is_some_and(|k| k != g.key) {
                continue;
            }
            let cutoff = on - chrono::Days::new(g.cadence_days.into());
            let mut bound: Vec<&dyn rusqlite::ToSql> = vec![&g.key, &cutoff, &scope.unit];
            if let Some(m) = &mediator {
                bound.push(m);
            }
            let n: i64 = count.query_row(&*bound, |r| r.get(0))?;
            if n == 0 {
                continue;
            }
            out.total += n as u64;
            out.by_grade.push(DueCount {
                grade: g.key.clone(),
                count: n as u64,
            });
            if left == 0 {
                continue;
            }
            let page_size = left;
            bound.push(&page_size);
            let rows = page.query_map(&*bound, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, NaiveDate>(4)?,
                ))
            })?;
            for row in rows {
                let (id, number, unit, parties, anchor) = row?;
                left -= 1;
                out.rows.push(DueVisit {
                    case_id: parse_uuid(&id)?,
                    number,
                    unit,
                    parties: parties.unwrap_or_default(),
                    grade: g.key.clone(),
                    grade_name: g.name.clone(),
                    grade_color: g.color.clone(),
                    cadence_days: g.cadence_days,
                    next_visit: next_visit(anchor, g.cadence_days),
                    state: due_state(anchor, g.cadence_days, on),
                });
            }
        }
        Ok(out)
    }
}

/// How many follow-ups of one grade are due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DueCount {
    pub grade: String,
    pub count: u64,
}

/// Some of the follow-ups due, and how many there are.
#[derive(Debug, Clone, Serialize)]
pub struct DuePage {
    pub total: u64,
    /// Most serious grade first; grades with none due are left out.
    pub by_grade: Vec<DueCount>,
    pub rows: Vec<DueVisit>,
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("张三"), "%张三%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn scope_sql_binds_one_parameter() {
        let exact = super::Scope {
            unit: "x".into(),
            subtree: false,
        };
        assert_eq!(exact.sql("c.unit"), "c.unit = ?");
        let tree = super::Scope {
            unit: "x".into(),
            subtree: true,
        };
        assert_eq!(tree.sql("c.unit").matches('?').count(), 1);
    }
}
