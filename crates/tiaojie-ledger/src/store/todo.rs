//! The lists of things waiting for someone: escalations to accept,
//! returned escalations to act on, referrals past their deadline.

use super::queries::Scope;
use super::{Ledger, parse_uuid};
use crate::domain::labels::{EscalationStatus, Stored};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use uuid::Uuid;

/// An escalation waiting at, or answered by, a unit.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct EscalationItem {
    pub escalation_id: Uuid,
    pub case_id: Uuid,
    pub number: String,
    pub from_unit: String,
    pub to_unit: String,
    pub reason: String,
    pub requested_on: NaiveDate,
    pub status: Stored<EscalationStatus>,
    pub answered_on: Option<NaiveDate>,
    pub answer: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ReferralItem {
    pub referral_id: Uuid,
    pub case_id: Uuid,
    pub number: String,
    pub department: String,
    pub receiver: String,
    pub matter: String,
    pub deadline: NaiveDate,
    pub days_late: i64,
}

impl Ledger {
    /// Escalations addressed to `unit` with the given status ("pending" for
    /// the acceptance queue), or sent by `unit` when `sent` is true.
    pub fn escalations(&self, unit: &str, status: &str, sent: bool) -> Result<Vec<EscalationItem>> {
        let side = if sent { "e.from_unit" } else { "e.to_unit" };
        let sql = format!(
            "SELECT e.id, e.case_id, c.number, e.from_unit, e.to_unit, e.reason, e.requested_on, e.status, e.answered_on, e.answer
             FROM escalations e JOIN cases c ON c.id = e.case_id
             WHERE {side} = ?1 AND e.status = ?2 ORDER BY e.requested_on, e.id"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(params![unit, status], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                EscalationItem {
                    escalation_id: Uuid::nil(),
                    case_id: Uuid::nil(),
                    number: r.get(2)?,
                    from_unit: r.get(3)?,
                    to_unit: r.get(4)?,
                    reason: r.get(5)?,
                    requested_on: r.get(6)?,
                    status: r.get(7)?,
                    answered_on: r.get(8)?,
                    answer: r.get(9)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (eid, cid, mut item) = row?;
            item.escalation_id = parse_uuid(&eid)?;
            item.case_id = parse_uuid(&cid)?;
            out.push(item);
        }
        Ok(out)
    }

    /// Escalations `unit` sent that came back in the `days` before `on`, for
    /// cases still open and not escalated again since: the returns that
    /// still need the unit's attention.
    pub fn recent_returns(
        &self,
        unit: &str,
        on: NaiveDate,
        days: u64,
    ) -> Result<Vec<EscalationItem>> {
        let since = on - chrono::Days::new(days);
        let mut out = Vec::new();
        for e in self.escalations(unit, "returned", true)? {
            let Some(answered) = e.answered_on.filter(|d| *d >= since && *d <= on) else {
                continue;
            };
            let pending: bool = self.conn().query_row(
                "SELECT c.closed_on IS NULL AND NOT EXISTS (SELECT 1 FROM escalations l
                     WHERE l.case_id = c.id AND l.requested_on > ?2)
                 FROM cases c WHERE c.id = ?1",
                params![e.case_id.to_string(), answered],
                |r| r.get(0),
            )?;
            if pending {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Referrals of open cases in `scope` whose answer is past its deadline.
    pub fn overdue_referrals(&self, on: NaiveDate, scope: &Scope) -> Result<Vec<ReferralItem>> {
        let sql = format!(
            "SELECT r.id, r.case_id, c.number, r.department, r.receiver, r.matter, r.deadline
             FROM referrals r JOIN cases c ON c.id = r.case_id
             WHERE r.answered_on IS NULL AND c.closed_on IS NULL AND r.deadline < ? AND {}
             ORDER BY r.deadline, r.id",
            scope.sql("c.unit")
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(params![on, scope.unit], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, NaiveDate>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (rid, cid, number, department, receiver, matter, deadline) = row?;
            out.push(ReferralItem {
                referral_id: parse_uuid(&rid)?,
                case_id: parse_uuid(&cid)?,
                number,
                department: crate::domain::labels::Department::parse(&department, "department")?
                    .label()
                    .into(),
                receiver,
                matter,
                deadline,
                days_late: (on - deadline).num_days(),
            });
        }
        Ok(out)
    }
}

/// How long a returned escalation stays on the to-do list.
pub const RETURNS_SHOWN_DAYS: u64 = 14;

/// How many follow-ups 今日工作 lists: the most urgent first; the counts
/// say how many more there are.
pub const TODAY_DUE_SHOWN: u32 = 200;

/// 今日工作: what waits for this device's unit on `on`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Today {
    pub on: NaiveDate,
    pub unit: String,
    /// The most urgent follow-ups due, at most `TODAY_DUE_SHOWN`.
    pub due: Vec<super::queries::DueVisit>,
    /// How many are due in all, and per grade.
    pub due_total: u64,
    pub due_by_grade: Vec<super::queries::DueCount>,
    pub escalations_pending: Vec<EscalationItem>,
    pub escalations_returned: Vec<EscalationItem>,
    pub overdue_referrals: Vec<ReferralItem>,
}

impl Ledger {
    /// What waits on `on`; with `mediator`, only the follow-ups of the
    /// cases that mediator handles (只看我承办的; the rest of the list is
    /// the unit's, as before).
    pub fn today_list(&self, on: NaiveDate, mediator: Option<&str>) -> Result<Today> {
        let unit = self.device()?.unit_code;
        let scope = Scope {
            unit: unit.clone(),
            subtree: false,
        };
        let due = match mediator {
            Some(m) => self.due_page_of_mediator(on, &scope, Some(TODAY_DUE_SHOWN), m)?,
            None => self.due_page(on, &scope, Some(TODAY_DUE_SHOWN))?,
        };
        Ok(Today {
            on,
            due: due.rows,
            due_total: due.total,
            due_by_grade: due.by_grade,
            escalations_pending: self.escalations(&unit, "pending", false)?,
            escalations_returned: self.recent_returns(&unit, on, RETURNS_SHOWN_DAYS)?,
            overdue_referrals: self.overdue_referrals(on, &scope)?,
            unit,
        })
    }
}
