//! What a person can do to the ledger. Each action checks its input, turns it
//! into one event and commits it; a refused action writes nothing.

use super::apply_case::next_number_seq;
use super::{Ledger, parse_uuid};
use crate::domain::intake::{CaseIntake, Fen};
use crate::domain::labels::{
    AgreementForm, ClosingOutcome, MediatorRole, Satisfaction, SessionResult,
};
use crate::domain::scheme::Scheme;
use crate::domain::unit::{MediatorSpec, UnitSpec};
use crate::error::{Entity, LedgerError, Result};
use crate::event::{CaseNumber, EventBody, Term, body};
use chrono::{Datelike, NaiveDate};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A newly registered case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CaseRef {
    pub id: Uuid,
    pub number: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, ts_rs::TS)]
pub struct SessionInput {
    pub on: Option<NaiveDate>,
    pub place: String,
    pub mediators: Vec<String>,
    pub attendees: String,
    pub summary: String,
    pub result: SessionResult,
}

#[derive(Debug, Clone, Deserialize, Serialize, ts_rs::TS)]
pub struct AgreementInput {
    pub on: Option<NaiveDate>,
    pub form: AgreementForm,
    pub terms: Vec<Term>,
    pub amount: Fen,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ts_rs::TS)]
pub struct FollowUpInput {
    pub on: Option<NaiveDate>,
    pub visitor: String,
    pub performance: String,
    pub satisfaction: Option<Satisfaction>,
    pub lawsuit: bool,
    pub new_risk: String,
    pub measures: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, ts_rs::TS)]
pub struct MediatorInput {
    pub name: String,
    pub phone: Option<String>,
    /// Defaults to this device's unit.
    pub unit: Option<String>,
    pub role: MediatorRole,
    pub specialties: Vec<String>,
}

/// The short name a unit's case numbers carry.
pub(super) fn unit_short_name(conn: &rusqlite::Connection, code: &str) -> Result<String> {
    conn.query_row(
        "SELECT short_name FROM units WHERE code = ?1",
        [code],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| LedgerError::not_found(Entity::Unit, code))
}

pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The date of an action: today unless given, and never in the future.
pub(super) fn action_date(on: Option<NaiveDate>) -> Result<NaiveDate> {
    let t = today();
    match on {
        Some(d) if d > t => Err(LedgerError::invalid(
            "on",
            format!("日期 {d} 晚于今天（{t}）"),
        )),
        Some(d) => Ok(d),
        None => Ok(t),
    }
}

impl Ledger {
    /// Finds a case by its id, the first or last characters of its id (at
    /// least 8), or its number as printed (either style of brackets).
    pub fn resolve_case(&self, key: &str) -> Result<Uuid> {
        let k = key.trim();
        if let Ok(id) = Uuid::parse_str(k) {
            return Ok(id);
        }
        let number = k.replace('(', "（").replace(')', "）").replace(' ', "");
        let by_number: Option<String> = self
            .conn()
            .query_row("SELECT id FROM cases WHERE number = ?1", [&number], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(id) = by_number {
            return parse_uuid(&id);
        }
        if k.len() >= 8 && k.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            // UUIDv7 ids share their leading (time) digits within a minute,
            // so the trailing random digits identify a case as well.
            let mut stmt = self.conn().prepare(
                "SELECT id FROM cases WHERE id LIKE ?1 || '%' OR id LIKE '%' || ?1 LIMIT 2",
            )?;
            let ids: Vec<String> = stmt
                .query_map([k.to_ascii_lowercase()], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if ids.len() == 1 {
                return parse_uuid(&ids[0]);
            }
            if ids.len() > 1 {
                return Err(LedgerError::invalid(
                    "case",
                    format!("编号前缀“{k}”对应多件案件，请输入更长的编号"),
                ));
            }
        }
        Err(LedgerError::not_found(Entity::Case, k))
    }

    pub fn add_unit(&mut self, unit: UnitSpec) -> Result<()> {
        unit.validate()?;
        self.commit(EventBody::UnitRegistered(unit))?;
        Ok(())
    }

    pub fn add_mediator(&mut self, input: MediatorInput) -> Result<Uuid> {
        let unit = match input.unit {
            Some(u) => u,
            None => self.device()?.unit_code,
        };
        let spec = MediatorSpec {
            id: Uuid::now_v7(),
            name: input.name,
            phone: input.phone,
            unit,
            role: input.role,
            specialties: input.specialties,
            active: true,
        }
        .validate()?;
        let id = spec.id;
        self.commit(EventBody::MediatorRegistered(spec))?;
        Ok(id)
    }

    /// Marks a mediator active or not (people leave; their cases stay).
    pub fn set_mediator_active(&mut self, id: Uuid, active: bool) -> Result<()> {
        let mut m = self.mediator(id)?;
        m.active = active;
        self.commit(EventBody::MediatorRegistered(m))?;
        Ok(())
    }

    pub fn configure_scheme(&mut self, scheme: Scheme) -> Result<()> {
        scheme.validate()?;
        self.commit(EventBody::SchemeConfigured(scheme))?;
        Ok(())
    }

    /// Registers a dispute and gives it the next case number of this
    /// device's lane.
    pub fn open_case(&mut self, intake: &CaseIntake) -> Result<CaseRef> {
        let intake_checked = intake.validate(today())?;
        let device = self.device()?;
        let mediator = match intake
            .mediator
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            Some(m) => Some(self.resolve_mediator(m)?),
            None => None,
        };
        let short_name = unit_short_name(self.conn(), &device.unit_code)?;
        let year = intake_checked.received_on.year();
        let number = CaseNumber {
            short_name,
            year,
            lane: device.lane,
            seq: next_number_seq(self.conn(), &device.unit_code, year, device.lane)?,
        };
        let case_id = Uuid::now_v7();
        let text = number.to_string();
        self.commit(EventBody::CaseOpened(body::CaseOpened {
            case_id,
            number,
            mediator,
            intake: intake_checked,
        }))?;
        Ok(CaseRef {
            id: case_id,
            number: text,
        })
    }

    pub fn grade_case(
        &mut self,
        case_id: Uuid,
        grade: &str,
        reason: &str,
        on: Option<NaiveDate>,
    ) -> Result<()> {
        let on = action_date(on)?;
        let grade = self.scheme()?.resolve(grade, "grade")?.key.clone();
        self.commit(EventBody::CaseGraded(body::CaseGraded {
            case_id,
            grade,
            reason: reason.into(),
            on,
        }))?;
        Ok(())
    }

    pub fn record_session(&mut self, case_id: Uuid, s: SessionInput) -> Result<Uuid> {
        let on = action_date(s.on)?;
        let session_id = Uuid::now_v7();
        self.commit(EventBody::SessionRecorded(body::SessionRecorded {
            case_id,
            session_id,
            on,
            place: s.place,
            mediators: s
                .mediators
                .into_iter()
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect(),
            attendees: s.attendees,
            summary: s.summary,
            result: s.result,
        }))?;
        Ok(session_id)
    }

    pub fn make_agreement(&mut self, case_id: Uuid, a: AgreementInput) -> Result<Uuid> {
        let on = action_date(a.on)?;
        let agreement_id = Uuid::now_v7();
        self.commit(EventBody::AgreementMade(body::AgreementMade {
            case_id,
            agreement_id,
            form: a.form,
            on,
            terms: a.terms,
            amount: a.amount,
        }))?;
        Ok(agreement_id)
    }

    pub fn record_performance(
        &mut self,
        case_id: Uuid,
        note: &str,
        fulfilled: bool,
        on: Option<NaiveDate>,
    ) -> Result<()> {
        let on = action_date(on)?;
        self.commit(EventBody::PerformanceRecorded(body::PerformanceRecorded {
            case_id,
            on,
            note: note.into(),
            fulfilled,
        }))?;
        Ok(())
    }

    /// Records a visit. What the visit found (`performance`: the situation,
    /// or how the agreement is performed) is required: a visit with nothing
    /// written would take the case off the day's list and record nothing.
    pub fn follow_up(&mut self, case_id: Uuid, f: FollowUpInput) -> Result<Uuid> {
        if f.performance.trim().is_empty() {
            return Err(LedgerError::invalid(
                "performance",
                "请填写回访情况：这次回访看到、听到的情况（已有协议的，写协议履行情况）",
            ));
        }
        let on = action_date(f.on)?;
        let followup_id = Uuid::now_v7();
        self.commit(EventBody::FollowUpRecorded(body::FollowUpRecorded {
            case_id,
            followup_id,
            on,
            visitor: f.visitor,
            performance: f.performance,
            satisfaction: f.satisfaction,
            lawsuit: f.lawsuit,
            new_risk: f.new_risk,
            measures: f.measures,
        }))?;
        Ok(followup_id)
    }

    pub fn close_case(
        &mut self,
        case_id: Uuid,
        outcome: ClosingOutcome,
        note: &str,
        on: Option<NaiveDate>,
    ) -> Result<()> {
        let on = action_date(on)?;
        self.commit(EventBody::CaseClosed(body::CaseClosed {
            case_id,
            on,
            outcome,
            note: note.into(),
        }))?;
        Ok(())
    }

    /// A screening round's report; `found == 0` is the explicit nil report.
    pub fn report_screening(
        &mut self,
        period_start: NaiveDate,
        period_end: NaiveDate,
        found: u32,
        note: &str,
        on: Option<NaiveDate>,
    ) -> Result<Uuid> {
        let on = action_date(on)?;
        let round_id = Uuid::now_v7();
        self.commit(EventBody::ScreeningReported(body::ScreeningReported {
            round_id,
            period_start,
            period_end,
            on,
            found,
            note: note.trim().into(),
        }))?;
        Ok(round_id)
    }

    /// A mediator by id, id prefix or exact name (names must be unique to be
    /// used this way).
    pub fn resolve_mediator(&self, key: &str) -> Result<Uuid> {
        if let Ok(id) = Uuid::parse_str(key) {
            self.mediator(id)?;
            return Ok(id);
        }
        let mut stmt = self
            .conn()
            .prepare("SELECT id FROM mediators WHERE name = ?1 OR id LIKE ?1 || '%' LIMIT 2")?;
        let ids: Vec<String> = stmt
            .query_map([key], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [one] => parse_uuid(one),
            [] => Err(LedgerError::not_found(Entity::Mediator, key)),
            _ => Err(LedgerError::invalid(
                "mediator",
                format!("有多位调解员叫“{key}”，请用编号指定"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_dates_default_to_today_and_refuse_the_future() {
        assert_eq!(action_date(None).unwrap(), today());
        let past = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(action_date(Some(past)).unwrap(), past);
        let err = action_date(Some(today() + chrono::Days::new(1))).unwrap_err();
        assert_eq!(err.field(), Some("on"));
    }
}
