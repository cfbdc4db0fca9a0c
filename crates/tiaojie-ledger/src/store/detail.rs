//! Everything about one case, for the case page and `case show`.

use super::queries::CaseRow;
use super::{Ledger, parse_uuid};
use crate::domain::labels::{
    AgreementForm, ClosingOutcome, Department, EscalationStatus, Gender, MediationType,
    Satisfaction, SessionResult, Side, Stored,
};
use crate::domain::mask::{mask_id_number, mask_phone};
use crate::error::{Entity, LedgerError, Result};
use crate::event::Term;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use uuid::Uuid;

/// Sessions that failed in a row before a case should be considered for
/// escalation (the rule several districts use; a person decides).
pub const FAILED_SESSIONS_BEFORE_ESCALATION: u32 = 3;
/// Mediation normally ends within a month of intake.
pub const MEDIATION_DAYS: u64 = 30;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
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

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub row: CaseRow,
    pub origin_unit: String,
    pub mediation_type: Stored<MediationType>,
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
    pub closing_outcome: Option<Stored<ClosingOutcome>>,
    /// Each party's details (the row's `parties` is their names).
    pub party_records: Vec<PartyRecord>,
    pub gradings: Vec<GradingRecord>,
    pub escalations: Vec<EscalationRecord>,
    pub supports: Vec<SupportRecord>,
    pub referrals: Vec<ReferralRecord>,
    pub sessions: Vec<SessionRecord>,
    pub agreement: Option<Agreement>,
    pub performances: Vec<PerformanceRecord>,
    pub followups: Vec<FollowUpRecord>,
    pub history: Vec<HistoryEntry>,
}

/// A party of a case, as registered.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct PartyRecord {
    /// Its place among the case's parties, from 0.
    pub idx: u32,
    pub side: Stored<Side>,
    pub name: String,
    pub gender: Option<Stored<Gender>>,
    pub ethnicity: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub age: Option<u32>,
    pub occupation: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
}

impl PartyRecord {
    /// With its ID number and phone masked, as a screen or a printout shows
    /// them unless the full numbers were asked for and allowed.
    pub fn masked(mut self) -> PartyRecord {
        self.mask();
        self
    }

    pub fn mask(&mut self) {
        self.id_number = self.id_number.as_deref().map(mask_id_number);
        self.phone = self.phone.as_deref().map(mask_phone);
    }
}

/// A risk grading (风险评估) of the case.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct GradingRecord {
    /// The grade's key in the unit's scheme (red, yellow, green…).
    pub grade: String,
    pub grade_name: Option<String>,
    pub reason: String,
    pub on_date: NaiveDate,
    pub unit: String,
    pub actor: Option<String>,
}

/// An escalation (上交) to an upper unit, and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct EscalationRecord {
    pub id: Uuid,
    pub from_unit: String,
    pub to_unit: String,
    pub reason: String,
    pub requested_on: NaiveDate,
    pub status: Stored<EscalationStatus>,
    pub answered_on: Option<NaiveDate>,
    pub answer: Option<String>,
}

/// A request for support (请求支援), and its reply.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SupportRecord {
    pub id: Uuid,
    pub from_unit: String,
    pub to_unit: String,
    pub matter: String,
    pub requested_on: NaiveDate,
    pub reply: Option<String>,
    pub answered_on: Option<NaiveDate>,
}

/// A referral (移送、转办) to a department, and what came back.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ReferralRecord {
    pub id: Uuid,
    pub department: Stored<Department>,
    pub receiver: String,
    pub matter: String,
    pub deadline: NaiveDate,
    pub referred_on: NaiveDate,
    pub outcome: Option<String>,
    pub answered_on: Option<NaiveDate>,
}

/// A mediation session (调解记录).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SessionRecord {
    pub id: Uuid,
    pub on_date: NaiveDate,
    pub place: String,
    pub mediators: Vec<String>,
    pub attendees: String,
    pub summary: String,
    pub result: Stored<SessionResult>,
    pub unit: String,
}

/// A note on how the agreement is being performed (履行情况).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct PerformanceRecord {
    pub on_date: NaiveDate,
    pub note: String,
    pub fulfilled: bool,
}

/// A follow-up visit (回访).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct FollowUpRecord {
    pub id: Uuid,
    pub on_date: NaiveDate,
    pub visitor: String,
    pub performance: String,
    pub satisfaction: Option<Stored<Satisfaction>>,
    pub lawsuit: bool,
    pub new_risk: String,
    pub measures: String,
    pub unit: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Agreement {
    pub id: Uuid,
    pub form: Stored<AgreementForm>,
    pub on: NaiveDate,
    pub terms: Vec<Term>,
    pub amount_fen: i64,
}

/// A record's id column.
fn uuid_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Uuid> {
    let text: String = r.get(i)?;
    Uuid::parse_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Ledger {
    fn records<T>(
        &self,
        sql: &str,
        case_id: Uuid,
        read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn().prepare_cached(sql)?;
        let rows = stmt.query_map([case_id.to_string()], read)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The parties of a case, in their order.
    pub fn party_records(&self, case_id: Uuid) -> Result<Vec<PartyRecord>> {
        self.records(
            "SELECT idx, side, name, gender, ethnicity, birth_date, age, occupation, phone, address, id_number
             FROM parties WHERE case_id = ?1 ORDER BY idx",
            case_id,
            |r| {
                Ok(PartyRecord {
                    idx: r.get(0)?,
                    side: r.get(1)?,
                    name: r.get(2)?,
                    gender: r.get(3)?,
                    ethnicity: r.get(4)?,
                    birth_date: r.get(5)?,
                    age: r.get(6)?,
                    occupation: r.get(7)?,
                    phone: r.get(8)?,
                    address: r.get(9)?,
                    id_number: r.get(10)?,
                })
            },
        )
    }

    /// A case as `session` reads it: the parties' ID and phone numbers
    /// masked, or, asked for `full_numbers`, in full for a user allowed to
    /// see them and written to the access log as `view_full_numbers` with
    /// the case's number. What the CLI's `case show` and the app's case page
    /// both call.
    pub fn case_detail_as(
        &self,
        session: Option<&super::users::Session>,
        case_id: Uuid,
        full_numbers: bool,
    ) -> Result<CaseDetail> {
        let mut d = self.case_detail(case_id)?;
        if full_numbers {
            self.require_logged(
                session,
                crate::domain::roles::Permission::ViewFullNumbers,
                "view_full_numbers",
                &d.row.number,
            )?;
        } else {
            d.party_records.iter_mut().for_each(PartyRecord::mask);
        }
        Ok(d)
    }

    pub fn case_detail(&self, case_id: Uuid) -> Result<CaseDetail> {
        let row = self.case_row(case_id)?;
        type Head = (
            String,
            Stored<MediationType>,
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
            Option<Stored<ClosingOutcome>>,
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
                        r.get::<_, Stored<AgreementForm>>(1)?,
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
            party_records: self.party_records(case_id)?,
            gradings: self.records(
                "SELECT g.grade, gr.name, g.reason, g.on_date, g.unit, g.actor
                 FROM gradings g LEFT JOIN grades gr ON gr.key = g.grade WHERE g.case_id = ?1 ORDER BY g.hlc",
                case_id,
                |r| {
                    Ok(GradingRecord {
                        grade: r.get(0)?,
                        grade_name: r.get(1)?,
                        reason: r.get(2)?,
                        on_date: r.get(3)?,
                        unit: r.get(4)?,
                        actor: r.get(5)?,
                    })
                },
            )?,
            escalations: self.records(
                "SELECT id, from_unit, to_unit, reason, requested_on, status, answered_on, answer
                 FROM escalations WHERE case_id = ?1 ORDER BY requested_on, id",
                case_id,
                |r| {
                    Ok(EscalationRecord {
                        id: uuid_at(r, 0)?,
                        from_unit: r.get(1)?,
                        to_unit: r.get(2)?,
                        reason: r.get(3)?,
                        requested_on: r.get(4)?,
                        status: r.get(5)?,
                        answered_on: r.get(6)?,
                        answer: r.get(7)?,
                    })
                },
            )?,
            supports: self.records(
                "SELECT id, from_unit, to_unit, matter, requested_on, reply, answered_on
                 FROM supports WHERE case_id = ?1 ORDER BY requested_on, id",
                case_id,
                |r| {
                    Ok(SupportRecord {
                        id: uuid_at(r, 0)?,
                        from_unit: r.get(1)?,
                        to_unit: r.get(2)?,
                        matter: r.get(3)?,
                        requested_on: r.get(4)?,
                        reply: r.get(5)?,
                        answered_on: r.get(6)?,
                    })
                },
            )?,
            referrals: self.records(
                "SELECT id, department, receiver, matter, deadline, referred_on, outcome, answered_on
                 FROM referrals WHERE case_id = ?1 ORDER BY referred_on, id",
                case_id,
                |r| {
                    Ok(ReferralRecord {
                        id: uuid_at(r, 0)?,
                        department: r.get(1)?,
                        receiver: r.get(2)?,
                        matter: r.get(3)?,
                        deadline: r.get(4)?,
                        referred_on: r.get(5)?,
                        outcome: r.get(6)?,
                        answered_on: r.get(7)?,
                    })
                },
            )?,
            sessions: self.records(
                "SELECT id, on_date, place, mediators, attendees, summary, result, unit
                 FROM sessions WHERE case_id = ?1 ORDER BY on_date, id",
                case_id,
                |r| {
                    let mediators: String = r.get(3)?;
                    Ok(SessionRecord {
                        id: uuid_at(r, 0)?,
                        on_date: r.get(1)?,
                        place: r.get(2)?,
                        mediators: serde_json::from_str(&mediators).map_err(|e| {
                            rusqlite::Error::FromSqlConversionFailure(
                                3,
                                rusqlite::types::Type::Text,
                                Box::new(e),
                            )
                        })?,
                        attendees: r.get(4)?,
                        summary: r.get(5)?,
                        result: r.get(6)?,
                        unit: r.get(7)?,
                    })
                },
            )?,
            agreement,
            performances: self.records(
                "SELECT on_date, note, fulfilled FROM performances WHERE case_id = ?1 ORDER BY on_date, event_id",
                case_id,
                |r| {
                    Ok(PerformanceRecord {
                        on_date: r.get(0)?,
                        note: r.get(1)?,
                        fulfilled: r.get(2)?,
                    })
                },
            )?,
            followups: self.records(
                "SELECT id, on_date, visitor, performance, satisfaction, lawsuit, new_risk, measures, unit
                 FROM followups WHERE case_id = ?1 ORDER BY on_date, id",
                case_id,
                |r| {
                    Ok(FollowUpRecord {
                        id: uuid_at(r, 0)?,
                        on_date: r.get(1)?,
                        visitor: r.get(2)?,
                        performance: r.get(3)?,
                        satisfaction: r.get(4)?,
                        lawsuit: r.get(5)?,
                        new_risk: r.get(6)?,
                        measures: r.get(7)?,
                        unit: r.get(8)?,
                    })
                },
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
