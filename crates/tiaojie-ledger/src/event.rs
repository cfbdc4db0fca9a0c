//! Events: the ledger's only source of truth. Every change a person makes is
//! one event appended to the log; the tables people query are folded from the
//! log. Events are stored as JSON and will travel between devices, so the
//! field names here are a persistent format: add fields with defaults, never
//! rename.

use crate::domain::intake::{Fen, Intake};
use crate::domain::labels::{
    AgreementForm, ClosingOutcome, Department, Satisfaction, SessionResult,
};
use crate::domain::scheme::Scheme;
use crate::domain::unit::{MediatorSpec, UnitSpec};
use crate::hlc::Hlc;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Version of the event body format written by this build. 2 added
/// `case_purged` and `redacted`.
pub const SCHEMA_VERSION: u16 = 2;

/// The largest event, as stored JSON, that a ledger writes and a hub takes:
/// bounded so that no ledger can write an event the hub refuses for size.
pub const MAX_EVENT_BYTES: usize = 512 * 1024;

/// One event with its envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// UUIDv7: unique everywhere, roughly time-ordered.
    pub id: Uuid,
    /// The device that wrote it.
    pub device: Uuid,
    /// Gap-free per device, starting at 1.
    pub seq: i64,
    pub hlc: Hlc,
    pub schema: u16,
    /// The unit of the device that wrote it: the authority the fold checks.
    pub unit: String,
    /// Who at that device (a mediator id or name), if known.
    pub actor: Option<String>,
    pub body: EventBody,
}

impl Event {
    /// The fold order: hybrid clock, then device, then sequence.
    pub fn order_key(&self) -> (Hlc, Uuid, i64) {
        (self.hlc, self.device, self.seq)
    }
}

/// A case number （YYYY）<short>人调字第N号. `lane` separates devices of one
/// unit so that each can number offline without colliding; lane 0, the usual
/// single device, prints no lane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseNumber {
    pub short_name: String,
    pub year: i32,
    pub lane: u32,
    pub seq: u32,
}

impl std::fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.lane == 0 {
            write!(
                f,
                "（{}）{}人调字第{}号",
                self.year, self.short_name, self.seq
            )
        } else {
            write!(
                f,
                "（{}）{}人调字第{}-{}号",
                self.year, self.short_name, self.lane, self.seq
            )
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Term {
    /// What is to be done (e.g. 李四于12月1日前赔偿张三医药费800元).
    pub content: String,
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    UnitRegistered(UnitSpec),
    MediatorRegistered(MediatorSpec),
    SchemeConfigured(Scheme),
    CaseOpened {
        case_id: Uuid,
        number: CaseNumber,
        mediator: Option<Uuid>,
        intake: Intake,
    },
    CaseGraded {
        case_id: Uuid,
        grade: String,
        reason: String,
        on: NaiveDate,
    },
    EscalationRequested {
        case_id: Uuid,
        escalation_id: Uuid,
        to_unit: String,
        reason: String,
        on: NaiveDate,
    },
    EscalationAccepted {
        case_id: Uuid,
        escalation_id: Uuid,
        note: String,
        on: NaiveDate,
    },
    EscalationReturned {
        case_id: Uuid,
        escalation_id: Uuid,
        reason: String,
        on: NaiveDate,
    },
    SupportRequested {
        case_id: Uuid,
        support_id: Uuid,
        to_unit: String,
        matter: String,
        on: NaiveDate,
    },
    SupportAnswered {
        case_id: Uuid,
        support_id: Uuid,
        reply: String,
        on: NaiveDate,
    },
    CaseReferred {
        case_id: Uuid,
        referral_id: Uuid,
        department: Department,
        receiver: String,
        matter: String,
        deadline: NaiveDate,
        on: NaiveDate,
    },
    ReferralAnswered {
        case_id: Uuid,
        referral_id: Uuid,
        outcome: String,
        on: NaiveDate,
    },
    SessionRecorded {
        case_id: Uuid,
        session_id: Uuid,
        on: NaiveDate,
        place: String,
        mediators: Vec<String>,
        attendees: String,
        summary: String,
        result: SessionResult,
    },
    AgreementMade {
        case_id: Uuid,
        agreement_id: Uuid,
        form: AgreementForm,
        on: NaiveDate,
        terms: Vec<Term>,
        amount: Fen,
    },
    PerformanceRecorded {
        case_id: Uuid,
        on: NaiveDate,
        note: String,
        fulfilled: bool,
    },
    FollowUpRecorded {
        case_id: Uuid,
        followup_id: Uuid,
        on: NaiveDate,
        visitor: String,
        performance: String,
        satisfaction: Option<Satisfaction>,
        lawsuit: bool,
        new_risk: String,
        measures: String,
    },
    CaseClosed {
        case_id: Uuid,
        on: NaiveDate,
        outcome: ClosingOutcome,
        note: String,
    },
    ScreeningReported {
        round_id: Uuid,
        period_start: NaiveDate,
        period_end: NaiveDate,
        on: NaiveDate,
        /// Disputes found; 0 is an explicit nil report (零上报).
        found: u32,
        note: String,
    },
    /// A closed case past its retention period is removed: its personal
    /// data leaves every ledger and the hub. Carries nothing personal.
    CasePurged {
        case_id: Uuid,
        on: NaiveDate,
        /// The retention period the purge applied, in years after closing.
        retention_years: u32,
    },
    /// What is left of an event of a purged case: its place in the log and
    /// the chain (the stored link is kept), none of its content.
    Redacted {
        case_id: Uuid,
        /// The `case_purged` event that removed the content.
        purged_by: Uuid,
        /// The kind the event had.
        was: String,
    },
}

impl EventBody {
    /// The stored `kind` column: the serde tag.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::UnitRegistered(_) => "unit_registered",
            EventBody::MediatorRegistered(_) => "mediator_registered",
            EventBody::SchemeConfigured(_) => "scheme_configured",
            EventBody::CaseOpened { .. } => "case_opened",
            EventBody::CaseGraded { .. } => "case_graded",
            EventBody::EscalationRequested { .. } => "escalation_requested",
            EventBody::EscalationAccepted { .. } => "escalation_accepted",
            EventBody::EscalationReturned { .. } => "escalation_returned",
            EventBody::SupportRequested { .. } => "support_requested",
            EventBody::SupportAnswered { .. } => "support_answered",
            EventBody::CaseReferred { .. } => "case_referred",
            EventBody::ReferralAnswered { .. } => "referral_answered",
            EventBody::SessionRecorded { .. } => "session_recorded",
            EventBody::AgreementMade { .. } => "agreement_made",
            EventBody::PerformanceRecorded { .. } => "performance_recorded",
            EventBody::FollowUpRecorded { .. } => "follow_up_recorded",
            EventBody::CaseClosed { .. } => "case_closed",
            EventBody::ScreeningReported { .. } => "screening_reported",
            EventBody::CasePurged { .. } => "case_purged",
            EventBody::Redacted { .. } => "redacted",
        }
    }

    /// The case this event belongs to, if any.
    pub fn case_id(&self) -> Option<Uuid> {
        use EventBody::*;
        match self {
            UnitRegistered(_)
            | MediatorRegistered(_)
            | SchemeConfigured(_)
            | ScreeningReported { .. } => None,
            CaseOpened { case_id, .. }
            | CaseGraded { case_id, .. }
            | EscalationRequested { case_id, .. }
            | EscalationAccepted { case_id, .. }
            | EscalationReturned { case_id, .. }
            | SupportRequested { case_id, .. }
            | SupportAnswered { case_id, .. }
            | CaseReferred { case_id, .. }
            | ReferralAnswered { case_id, .. }
            | SessionRecorded { case_id, .. }
            | AgreementMade { case_id, .. }
            | PerformanceRecorded { case_id, .. }
            | FollowUpRecorded { case_id, .. }
            | CaseClosed { case_id, .. }
            | CasePurged { case_id, .. }
            | Redacted { case_id, .. } => Some(*case_id),
        }
    }

    /// One line in Chinese for the case history, with unit and grade names
    /// looked up in `names`.
    pub fn describe(&self, names: &Names) -> String {
        use EventBody::*;
        match self {
            UnitRegistered(u) => format!("登记单位 {}（{}）", u.name, u.code),
            MediatorRegistered(m) => format!("登记调解员 {}", m.name),
            SchemeConfigured(s) => format!("设置预警等级（{}级）", s.grades.len()),
            CaseOpened { number, intake, .. } => format!(
                "{} 登记受理 {number}：{}，{}",
                intake.received_on,
                intake.dispute_type,
                intake
                    .parties
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            CaseGraded {
                grade, reason, on, ..
            } => format!("{on} 评定为{}：{reason}", names.grade(grade)),
            EscalationRequested {
                to_unit,
                reason,
                on,
                ..
            } => format!("{on} 提请上交至{}：{reason}", names.unit(to_unit)),
            EscalationAccepted { note, on, .. } => format!("{on} 上级受理上交案件 {note}"),
            EscalationReturned { reason, on, .. } => format!("{on} 上级退回：{reason}"),
            SupportRequested {
                to_unit,
                matter,
                on,
                ..
            } => format!("{on} 请求{}支援：{matter}", names.unit(to_unit)),
            SupportAnswered { reply, on, .. } => format!("{on} 上级答复支援请求：{reply}"),
            CaseReferred {
                department,
                receiver,
                deadline,
                on,
                ..
            } => {
                format!("{on} 移送{department}（{receiver}），限 {deadline} 前反馈")
            }
            ReferralAnswered { outcome, on, .. } => format!("{on} 移送结果反馈：{outcome}"),
            SessionRecorded {
                on, place, result, ..
            } => format!("{on} 在{place}调解，{result}"),
            AgreementMade {
                form, on, terms, ..
            } => format!("{on} 达成{form}，共{}项", terms.len()),
            PerformanceRecorded {
                on,
                note,
                fulfilled,
                ..
            } => {
                format!(
                    "{on} 履行情况{}：{note}",
                    if *fulfilled { "（已履行）" } else { "" }
                )
            }
            FollowUpRecorded {
                on,
                visitor,
                satisfaction,
                ..
            } => format!(
                "{on} {visitor} 回访{}",
                satisfaction.map(|s| format!("，{s}")).unwrap_or_default()
            ),
            CaseClosed { on, outcome, .. } => format!("{on} 结案：{outcome}"),
            ScreeningReported {
                period_start,
                period_end,
                found,
                ..
            } => {
                if *found == 0 {
                    format!("排查 {period_start} 至 {period_end}：零上报")
                } else {
                    format!("排查 {period_start} 至 {period_end}：发现纠纷{found}件")
                }
            }
            CasePurged {
                on,
                retention_years,
                ..
            } => format!("{on} 保管期限（结案后{retention_years}年）届满，清除个人信息"),
            Redacted { .. } => "（内容已按保管期限清除）".to_string(),
        }
    }
}

impl Event {
    /// The stub that replaces this event when its case is purged: the same
    /// envelope (id, device, sequence, clock, unit), no actor, no content.
    pub fn redacted(&self, purged_by: Uuid) -> Option<Event> {
        let case_id = self.body.case_id()?;
        if matches!(
            self.body,
            EventBody::Redacted { .. } | EventBody::CasePurged { .. }
        ) {
            return None;
        }
        Some(Event {
            actor: None,
            schema: SCHEMA_VERSION,
            body: EventBody::Redacted {
                case_id,
                purged_by,
                was: self.body.kind().to_string(),
            },
            ..self.clone()
        })
    }
}

/// The stored bytes of `raw`'s redacted stub, or None when `raw` is not an
/// event of a case that can be redacted (already a stub, the purge itself).
pub fn redact_raw(raw: &[u8], purged_by: Uuid) -> Option<Vec<u8>> {
    let event: Event = serde_json::from_slice(raw).ok()?;
    let stub = event.redacted(purged_by)?;
    serde_json::to_vec(&stub).ok()
}

/// Display names of the codes events carry; a code without a name shows as
/// itself.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub units: HashMap<String, String>,
    pub grades: HashMap<String, String>,
}

impl Names {
    pub fn unit<'a>(&'a self, code: &'a str) -> &'a str {
        self.units.get(code).map_or(code, String::as_str)
    }

    pub fn grade<'a>(&'a self, key: &'a str) -> &'a str {
        self.grades.get(key).map_or(key, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_print_in_the_official_form() {
        let n = CaseNumber {
            short_name: "青山村".into(),
            year: 2026,
            lane: 0,
            seq: 12,
        };
        assert_eq!(n.to_string(), "（2026）青山村人调字第12号");
        let n = CaseNumber { lane: 2, ..n };
        assert_eq!(n.to_string(), "（2026）青山村人调字第2-12号");
    }

    #[test]
    fn body_kind_matches_the_serde_tag() {
        let body = EventBody::CaseClosed {
            case_id: Uuid::nil(),
            on: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
            outcome: ClosingOutcome::Resolved,
            note: String::new(),
        };
        let v = serde_json::to_value(&body).unwrap();
        assert_eq!(v["kind"], body.kind());
        assert_eq!(v["outcome"], "resolved");
        let back: EventBody = serde_json::from_value(v).unwrap();
        assert_eq!(back, body);
    }
}
