//! Everything about one case, for the case page and `case show`.

use super::queries::CaseRow;
use super::{Ledger, parse_uuid};
use crate::error::{Entity, LedgerError, Result};
use crate::event::Term;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

/// Sessions that failed in a row before a case should be considered for
/// escalation (the rule several districts use; a person decides).
pub const FAILED_SESSIONS_BEFORE_ESCALATION: u32 = 3;
/// Mediation normally ends within a month of intake.
pub const MEDIATION_DAYS: u64 = 30;

#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub event_id: Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
    pub hlc: String,
    pub device: Uuid,
    pub seq: i64,
    pub unit: String,
    pub actor: Option<String>,
    pub kind: &'static str,
    pub text: String,
    pub applied: bool,
    /// Why the event did not take effect, or a note on how it did.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub row: CaseRow,
    pub origin_unit: String,
    pub mediation_type: String,
    pub facts: String,
    pub requests: String,
    pub amount_fen: i64,
    pub people_involved: u32,
    pub petition_risk: bool,
    pub criminal_risk: bool,
    pub key_persons: String,
    pub mediator: Option<String>,
    pub graded_on: Option<NaiveDate>,
    pub last_visit_on: Option<NaiveDate>,
    pub sessions_held: u32,
    pub failed_sessions: u32,
    pub suggest_escalation: bool,
    pub mediation_deadline: NaiveDate,
    pub closing_outcome: Option<String>,
    /// Each party's details (the row's `parties` is their names).
    pub party_records: Vec<Map<String, Value>>,
    pub gradings: Vec<Map<String, Value>>,
    pub escalations: Vec<Map<String, Value>>,
    pub supports: Vec<Map<String, Value>>,
    pub referrals: Vec<Map<String, Value>>,
    pub sessions: Vec<Map<String, Value>>,
    pub agreement: Option<Agreement>,
    pub performances: Vec<Map<String, Value>>,
    pub followups: Vec<Map<String, Value>>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    pub id: Uuid,
    pub form: String,
    pub on: NaiveDate,
    pub terms: Vec<Term>,
    pub amount_fen: i64,
}

/// Columns that hold JSON lists.
const JSON_COLUMNS: &[&str] = &["mediators", "terms", "specialties"];

/// A row as a JSON object keyed by column name: the sub-tables of a case are
/// shown, not computed on, so they need no struct of their own.
fn row_object(r: &Row<'_>) -> rusqlite::Result<Map<String, Value>> {
    let stmt = r.as_ref();
    let mut m = Map::new();
    for i in 0..stmt.column_count() {
        let name = stmt.column_name(i)?.to_string();
        let v = match r.get_ref(i)? {
            rusqlite::types::ValueRef::Null => Value::Null,
            rusqlite::types::ValueRef::Integer(n) => Value::from(n),
            rusqlite::types::ValueRef::Real(f) => Value::from(f),
            rusqlite::types::ValueRef::Text(t) => {
                let s = String::from_utf8_lossy(t).into_owned();
                if JSON_COLUMNS.contains(&name.as_str()) {
                    serde_json::from_str(&s).unwrap_or(Value::String(s))
                } else {
                    Value::String(s)
                }
            }
            rusqlite::types::ValueRef::Blob(_) => Value::Null,
        };
        m.insert(name, v);
    }
    Ok(m)
}

impl Ledger {
    fn rows(&self, sql: &str, case_id: Uuid) -> Result<Vec<Map<String, Value>>> {
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map([case_id.to_string()], row_object)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn case_detail(&self, case_id: Uuid) -> Result<CaseDetail> {
        let row = self.case_row(case_id)?;
        type Head = (
            String,
            String,
            String,
            String,
            i64,
            u32,
            bool,
            bool,
            String,
            Option<String>,
        );
        type Flow = (
            Option<NaiveDate>,
            Option<NaiveDate>,
            u32,
            u32,
            Option<String>,
        );
        let (head, flow): (Head, Flow) = self
            .conn()
            .query_row(
                "SELECT c.origin_unit, c.mediation_type, c.facts, c.requests, c.amount_fen, c.people_involved,
                        c.petition_risk, c.criminal_risk, c.key_persons, m.name,
                        c.graded_on, c.last_visit_on, c.sessions, c.failed_sessions, c.closing_outcome
                 FROM cases c LEFT JOIN mediators m ON m.id = c.mediator WHERE c.id = ?1",
                [case_id.to_string()],
                |r| {
                    Ok((
                        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?),
                        (r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?),
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| LedgerError::not_found(Entity::Case, case_id))?;
        let (
            origin_unit,
            mediation_type,
            facts,
            requests,
            amount_fen,
            people_involved,
            petition_risk,
            criminal_risk,
            key_persons,
            mediator,
        ) = head;
        let (graded_on, last_visit_on, sessions_held, failed_sessions, closing_outcome) = flow;
        let agreement = self
            .conn()
            .query_row(
                "SELECT id, form, on_date, terms, amount_fen FROM agreements WHERE case_id = ?1",
                [case_id.to_string()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get(2)?,
                        r.get::<_, String>(3)?,
                        r.get(4)?,
                    ))
                },
            )
            .optional()?
            .map(|(id, form, on, terms, amount_fen)| -> Result<Agreement> {
                Ok(Agreement {
                    id: parse_uuid(&id)?,
                    form,
                    on,
                    terms: serde_json::from_str(&terms)?,
                    amount_fen,
                })
            })
            .transpose()?;
        Ok(CaseDetail {
            mediation_deadline: row.received_on + chrono::Days::new(MEDIATION_DAYS),
            suggest_escalation: row.closed_on.is_none()
                && !row.escalation_pending
                && failed_sessions >= FAILED_SESSIONS_BEFORE_ESCALATION,
            row,
            origin_unit,
            mediation_type,
            facts,
            requests,
            amount_fen,
            people_involved,
            petition_risk,
            criminal_risk,
            key_persons,
            mediator,
            graded_on,
            last_visit_on,
            sessions_held,
            failed_sessions,
            closing_outcome,
            party_records: self.rows(
                "SELECT idx, side, name, gender, ethnicity, birth_date, age, occupation, phone, address, id_number
                 FROM parties WHERE case_id = ?1 ORDER BY idx",
                case_id,
            )?,
            gradings: self.rows(
                "SELECT g.grade, gr.name AS grade_name, g.reason, g.on_date, g.unit, g.actor
                 FROM gradings g LEFT JOIN grades gr ON gr.key = g.grade WHERE g.case_id = ?1 ORDER BY g.hlc",
                case_id,
            )?,
            escalations: self.rows(
                "SELECT id, from_unit, to_unit, reason, requested_on, status, answered_on, answer
                 FROM escalations WHERE case_id = ?1 ORDER BY requested_on, id",
                case_id,
            )?,
            supports: self.rows(
                "SELECT id, from_unit, to_unit, matter, requested_on, reply, answered_on
                 FROM supports WHERE case_id = ?1 ORDER BY requested_on, id",
                case_id,
            )?,
            referrals: self.rows(
                "SELECT id, department, receiver, matter, deadline, referred_on, outcome, answered_on
                 FROM referrals WHERE case_id = ?1 ORDER BY referred_on, id",
                case_id,
            )?,
            sessions: self.rows(
                "SELECT id, on_date, place, mediators, attendees, summary, result, unit
                 FROM sessions WHERE case_id = ?1 ORDER BY on_date, id",
                case_id,
            )?,
            agreement,
            performances: self.rows(
                "SELECT on_date, note, fulfilled FROM performances WHERE case_id = ?1 ORDER BY on_date, event_id",
                case_id,
            )?,
            followups: self.rows(
                "SELECT id, on_date, visitor, performance, satisfaction, lawsuit, new_risk, measures, unit
                 FROM followups WHERE case_id = ?1 ORDER BY on_date, id",
                case_id,
            )?,
            history: self.history(case_id)?,
        })
    }

    /// Every event of the case in fold order, with whether it took effect.
    pub fn history(&self, case_id: Uuid) -> Result<Vec<HistoryEntry>> {
        let outcomes: Vec<(String, bool, Option<String>)> = {
            let mut stmt = self.conn().prepare(
                "SELECT o.event_id, o.applied, o.reason FROM events e JOIN outcomes o ON o.event_id = uuid_text(e.id)
                 WHERE e.case_id = uuid_blob(?1)",
            )?;
            stmt.query_map(params![case_id.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let names = crate::event::Names {
            units: self
                .units()?
                .into_iter()
                .map(|u| (u.spec.code, u.spec.name))
                .collect(),
            grades: self
                .scheme()?
                .grades
                .into_iter()
                .map(|g| (g.key, g.name))
                .collect(),
        };
        self.case_events(case_id)?
            .into_iter()
            .map(|ev| {
                let (applied, note) = outcomes
                    .iter()
                    .find(|(id, _, _)| *id == ev.id.to_string())
                    .map(|(_, a, n)| (*a, n.clone()))
                    // No row: it took effect as it was (every event in the
                    // log has been folded when a transaction ends).
                    .unwrap_or((true, None));
                Ok(HistoryEntry {
                    event_id: ev.id,
                    at: ev.hlc.to_datetime(),
                    hlc: ev.hlc.to_string(),
                    device: ev.device,
                    seq: ev.seq,
                    unit: ev.unit.clone(),
                    actor: ev.actor.clone(),
                    kind: ev.body.kind(),
                    text: ev.body.describe(&names),
                    applied,
                    note,
                })
            })
            .collect()
    }
}
