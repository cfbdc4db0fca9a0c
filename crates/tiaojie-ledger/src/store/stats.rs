//! Counts for the statistics page and the monthly report.

use super::Ledger;
use super::queries::Scope;
use crate::domain::labels::{
    CaseStatus, ClosingOutcome, DisputeType, Satisfaction, Source, printed,
};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Stats {
    pub total: u64,
    pub open: u64,
    pub closed: u64,
    pub by_grade: Vec<Count>,
    pub by_type: Vec<Count>,
    pub by_source: Vec<Count>,
    pub by_status: Vec<Count>,
    pub by_level: Vec<Count>,
    /// Closed cases by how they ended (结案方式).
    pub by_outcome: Vec<Count>,
    /// Received per month, "YYYY-MM".
    pub by_month: Vec<Count>,
    pub agreements: u64,
    pub agreement_amount_fen: i64,
    pub resolved: u64,
    pub satisfaction: Vec<Count>,
    pub petition_risk: u64,
    pub criminal_risk: u64,
    /// Cases with a 民转刑 / petition risk closed as resolved.
    pub criminal_prevented: u64,
    pub petitions_prevented: u64,
    pub screenings: u64,
    pub nil_reports: u64,
}

#[derive(Debug, Clone, Default)]
pub struct StatsFilter {
    pub scope: Option<Scope>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl StatsFilter {
    /// WHERE clause over `cases c` (dates are intake dates) and its arguments.
    fn cases(&self) -> (String, Vec<Value>) {
        self.clause("c.unit", "c.received_on")
    }

    fn clause(&self, unit_col: &str, date_col: &str) -> (String, Vec<Value>) {
        let mut parts = vec!["1 = 1".to_string()];
        let mut args = Vec::new();
        if let Some(s) = &self.scope {
            parts.push(s.sql(unit_col));
            args.push(Value::Text(s.unit.clone()));
        }
        if let Some(from) = self.from {
            parts.push(format!("{date_col} >= ?"));
            args.push(Value::Text(from.to_string()));
        }
        if let Some(to) = self.to {
            parts.push(format!("{date_col} <= ?"));
            args.push(Value::Text(to.to_string()));
        }
        (parts.join(" AND "), args)
    }
}

impl Ledger {
    fn counts(
        &self,
        group: &str,
        from: &str,
        filter: &(String, Vec<Value>),
        label: impl Fn(&str) -> String,
    ) -> Result<Vec<Count>> {
        let sql = format!(
            "SELECT {group} AS k, count(*) {from} WHERE {} AND k IS NOT NULL GROUP BY k ORDER BY k",
            filter.0
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(filter.1.iter()), |r| {
            Ok((
                r.get_ref(0)?
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|_| format!("{:?}", r.get_ref(0))),
                r.get::<_, i64>(1)? as u64,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, count) = row?;
            out.push(Count {
                label: label(&key),
                key,
                count,
            });
        }
        Ok(out)
    }

    fn scalar(&self, sql: &str, filter: &(String, Vec<Value>)) -> Result<i64> {
        Ok(self.conn().query_row(
            &sql.replace("{filter}", &filter.0),
            params_from_iter(filter.1.iter()),
            |r| r.get(0),
        )?)
    }

    pub fn stats(&self, f: &StatsFilter) -> Result<Stats> {
        let cases = f.cases();
        let grade_names: Vec<(String, String)> = self
            .scheme()?
            .grades
            .into_iter()
            .map(|g| (g.key, g.name))
            .collect();
        let grade_label = |k: &str| {
            if k == UNGRADED {
                return "未评定".to_string();
            }
            grade_names
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| k.into())
        };
        let n = |sql: &str| self.scalar(sql, &cases);
        // Agreements and follow-ups are counted from their own rows (CROSS
        // JOIN keeps SQLite from walking every case to find them).
        let screenings = f.clause("s.unit", "s.period_start");
        // The case counts kept by the projection (`case_counts`), in one pass.
        let mut tally = Tally::default();
        let (filter, args) = f.clause("k.unit", "k.received_on");
        let mut stmt = self.conn().prepare(&format!(
            "SELECT CAST(u.level AS TEXT), k.received_on, k.grade, k.dispute_type, k.source, k.status,
                    k.outcome, k.closed, k.petition_risk, k.criminal_risk, k.n
             FROM case_counts k LEFT JOIN units u ON u.code = k.unit WHERE {filter}"
        ))?;
        let mut rows = stmt.query(params_from_iter(args.iter()))?;
        while let Some(r) = rows.next()? {
            tally.add(CountRow {
                level: r.get(0)?,
                received_on: r.get(1)?,
                grade: r.get(2)?,
                dispute_type: r.get(3)?,
                source: r.get(4)?,
                status: r.get(5)?,
                outcome: r.get(6)?,
                closed: r.get(7)?,
                petition_risk: r.get(8)?,
                criminal_risk: r.get(9)?,
                n: r.get::<_, i64>(10)?.max(0) as u64,
            });
        }
        let counts = |map: std::collections::BTreeMap<String, u64>,
                      label: &dyn Fn(&str) -> String| {
            map.into_iter()
                .map(|(key, count)| Count {
                    label: label(&key),
                    key,
                    count,
                })
                .collect::<Vec<_>>()
        };
        Ok(Stats {
            total: tally.total,
            open: tally.total - tally.closed,
            closed: tally.closed,
            by_grade: counts(tally.by_grade, &grade_label),
            by_type: counts(tally.by_type, &printed::<DisputeType>),
            by_source: counts(tally.by_source, &printed::<Source>),
            by_status: counts(tally.by_status, &printed::<CaseStatus>),
            by_level: counts(tally.by_level, &|k: &str| {
                crate::domain::unit::level_label(k.parse().unwrap_or(0)).to_string()
            }),
            by_outcome: counts(tally.by_outcome, &printed::<ClosingOutcome>),
            by_month: counts(tally.by_month, &str::to_string),
            agreements: n(
                "SELECT count(*) FROM agreements a CROSS JOIN cases c ON c.id = a.case_id WHERE {filter}",
            )? as u64,
            agreement_amount_fen: n(
                "SELECT coalesce(sum(a.amount_fen), 0) FROM agreements a CROSS JOIN cases c ON c.id = a.case_id WHERE {filter}",
            )?,
            resolved: tally.resolved,
            satisfaction: self.counts(
                "f.satisfaction",
                "FROM followups f CROSS JOIN cases c ON c.id = f.case_id",
                &cases,
                printed::<Satisfaction>,
            )?,
            petition_risk: tally.petition_risk,
            criminal_risk: tally.criminal_risk,
            criminal_prevented: tally.criminal_prevented,
            petitions_prevented: tally.petitions_prevented,
            screenings: self.scalar(
                "SELECT count(*) FROM screenings s WHERE {filter}",
                &screenings,
            )? as u64,
            nil_reports: self.scalar(
                "SELECT count(*) FROM screenings s WHERE {filter} AND s.found = 0",
                &screenings,
            )? as u64,
        })
    }
}

/// One row of `case_counts`: how many cases share these values.
struct CountRow {
    level: Option<String>,
    received_on: String,
    grade: String,
    dispute_type: String,
    source: String,
    status: String,
    outcome: String,
    closed: bool,
    petition_risk: bool,
    criminal_risk: bool,
    n: u64,
}

/// The statistics' case figures summed from count rows. Empty keys are
/// "none" and not counted in their grouping.
/// The key under which `by_grade` counts the cases not (yet) graded.
pub const UNGRADED: &str = "ungraded";

#[derive(Default)]
struct Tally {
    total: u64,
    closed: u64,
    resolved: u64,
    petition_risk: u64,
    criminal_risk: u64,
    criminal_prevented: u64,
    petitions_prevented: u64,
    by_grade: std::collections::BTreeMap<String, u64>,
    by_type: std::collections::BTreeMap<String, u64>,
    by_source: std::collections::BTreeMap<String, u64>,
    by_status: std::collections::BTreeMap<String, u64>,
    by_level: std::collections::BTreeMap<String, u64>,
    by_outcome: std::collections::BTreeMap<String, u64>,
    by_month: std::collections::BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, r: CountRow) {
        let n = r.n;
        let bump = |map: &mut std::collections::BTreeMap<String, u64>, key: &str| {
            if !key.is_empty() {
                *map.entry(key.to_string()).or_default() += n;
            }
        };
        // Every case has a colour in the count, 未评定 included, so that
        // the colours add up to the cases counted.
        let grade = if r.grade.is_empty() {
            UNGRADED
        } else {
            &r.grade
        };
        bump(&mut self.by_grade, grade);
        bump(&mut self.by_type, &r.dispute_type);
        bump(&mut self.by_source, &r.source);
        bump(&mut self.by_status, &r.status);
        bump(&mut self.by_level, r.level.as_deref().unwrap_or(""));
        bump(&mut self.by_outcome, &r.outcome);
        bump(
            &mut self.by_month,
            r.received_on.get(..7).unwrap_or(&r.received_on),
        );
        let resolved = r.outcome == "resolved";
        self.total += n;
        self.closed += if r.closed { n } else { 0 };
        self.resolved += if resolved { n } else { 0 };
        self.petition_risk += if r.petition_risk { n } else { 0 };
        self.criminal_risk += if r.criminal_risk { n } else { 0 };
        self.criminal_prevented += if r.criminal_risk && resolved { n } else { 0 };
        self.petitions_prevented += if r.petition_risk && resolved { n } else { 0 };
    }
}

/// One unit on the wall map (挂图作战): its open cases and the most serious
/// grade among them, counting every unit below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct UnitCell {
    pub code: String,
    pub name: String,
    pub level: u8,
    pub parent: Option<String>,
    /// Open cases owned here and below.
    pub open_cases: u64,
    pub worst_grade: Option<String>,
    pub worst_grade_name: Option<String>,
    pub worst_color: Option<String>,
}

impl Ledger {
    pub fn unit_grid(&self) -> Result<Vec<UnitCell>> {
        let scheme = self.scheme()?;
        let mut stmt = self.conn().prepare(
            "SELECT u.code, u.name, u.level, u.parent,
                    (SELECT count(*) FROM cases c WHERE c.unit = u.code AND c.closed_on IS NULL),
                    (SELECT max(g.rank) FROM cases c JOIN grades g ON g.key = c.grade
                      WHERE c.unit = u.code AND c.closed_on IS NULL)
             FROM units u ORDER BY u.level DESC, u.code",
        )?;
        let own: Vec<(UnitCell, Option<u32>)> = stmt
            .query_map([], |r| {
                Ok((
                    UnitCell {
                        code: r.get(0)?,
                        name: r.get(1)?,
                        level: r.get(2)?,
                        parent: r.get(3)?,
                        open_cases: r.get::<_, i64>(4)? as u64,
                        worst_grade: None,
                        worst_grade_name: None,
                        worst_color: None,
                    },
                    r.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        // Add each unit's own figures to every unit above it.
        let mut totals: Vec<(u64, Option<u32>)> =
            own.iter().map(|(c, r)| (c.open_cases, *r)).collect();
        for (i, (cell, rank)) in own.iter().enumerate() {
            let mut parent = cell.parent.clone();
            let mut hops = 0;
            while let Some(p) = parent.filter(|_| hops < 10) {
                let Some(j) = own.iter().position(|(c, _)| c.code == p) else {
                    break;
                };
                if j != i {
                    totals[j].0 += cell.open_cases;
                    totals[j].1 = totals[j].1.max(*rank);
                }
                parent = own[j].0.parent.clone();
                hops += 1;
            }
        }
        Ok(own
            .into_iter()
            .zip(totals)
            .map(|((mut cell, _), (open, rank))| {
                cell.open_cases = open;
                if let Some(g) = rank.and_then(|r| scheme.grades.iter().find(|g| g.rank == r)) {
                    cell.worst_grade = Some(g.key.clone());
                    cell.worst_grade_name = Some(g.name.clone());
                    cell.worst_color = Some(g.color.clone());
                }
                cell
            })
            .collect())
    }
}

impl Ledger {
    /// How far the kept case counts and the search index are from the cases
    /// themselves: count rows that a recount disagrees with, plus 1 when the
    /// search index does not hold the cases' text as it is. 0 when they
    /// agree, as they always should.
    pub fn index_drift(&self) -> Result<u64> {
        let counts: i64 = self.conn().query_row(
            &format!(
                "WITH recount AS ({})
                 SELECT count(*) FROM (
                   SELECT * FROM recount EXCEPT SELECT * FROM case_counts
                   UNION ALL
                   SELECT * FROM (SELECT * FROM case_counts EXCEPT SELECT * FROM recount))",
                super::fold::RECOUNT_SQL
            ),
            [],
            |r| r.get(0),
        )?;
        // FTS5 compares its index with the text of every case; a difference
        // is a "corrupt" error of the check (one drift, wherever it is).
        let search = match self.conn().execute(
            "INSERT INTO case_search (case_search, rank) VALUES ('integrity-check', 1)",
            [],
        ) {
            Ok(_) => 0,
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseCorrupt =>
            {
                1
            }
            Err(e) => return Err(e.into()),
        };
        Ok(counts as u64 + search)
    }
}
