//! Events: the ledger's only source of truth. Every change a person makes is
//! one event appended to the log; the tables people query are folded from the
//! log. Events are stored as JSON and will travel between devices, so the
//! field names here are a persistent format: add fields with defaults, never
//! rename.

use crate::domain::scheme::Scheme;
use crate::domain::unit::{MediatorSpec, UnitSpec};
use crate::hlc::Hlc;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

pub mod body;

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

/// What an event says. The kinds with their own fields hold them as a
/// payload struct of the same name in `body`; as internally tagged newtype
/// variants they are written exactly as struct variants would be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    UnitRegistered(UnitSpec),
    MediatorRegistered(MediatorSpec),
    SchemeConfigured(Scheme),
    CaseOpened(body::CaseOpened),
    CaseGraded(body::CaseGraded),
    EscalationRequested(body::EscalationRequested),
    EscalationAccepted(body::EscalationAccepted),
    EscalationReturned(body::EscalationReturned),
    SupportRequested(body::SupportRequested),
    SupportAnswered(body::SupportAnswered),
    CaseReferred(body::CaseReferred),
    ReferralAnswered(body::ReferralAnswered),
    SessionRecorded(body::SessionRecorded),
    AgreementMade(body::AgreementMade),
    PerformanceRecorded(body::PerformanceRecorded),
    FollowUpRecorded(body::FollowUpRecorded),
    CaseClosed(body::CaseClosed),
    ScreeningReported(body::ScreeningReported),
    /// A photo or scan added to the case file (its bytes travel apart).
    AttachmentAdded(body::AttachmentAdded),
    AttachmentRemoved(body::AttachmentRemoved),
    /// A closed case past its retention period is removed: its personal
    /// data leaves every ledger and the hub. Carries nothing personal.
    CasePurged(body::CasePurged),
    /// What is left of an event of a purged case: its place in the log and
    /// the chain (the stored link is kept), none of its content.
    Redacted(body::Redacted),
}

impl EventBody {
    /// The stored `kind` column: the serde tag.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::UnitRegistered(_) => "unit_registered",
            EventBody::MediatorRegistered(_) => "mediator_registered",
            EventBody::SchemeConfigured(_) => "scheme_configured",
            EventBody::CaseOpened(_) => "case_opened",
            EventBody::CaseGraded(_) => "case_graded",
            EventBody::EscalationRequested(_) => "escalation_requested",
            EventBody::EscalationAccepted(_) => "escalation_accepted",
            EventBody::EscalationReturned(_) => "escalation_returned",
            EventBody::SupportRequested(_) => "support_requested",
            EventBody::SupportAnswered(_) => "support_answered",
            EventBody::CaseReferred(_) => "case_referred",
            EventBody::ReferralAnswered(_) => "referral_answered",
            EventBody::SessionRecorded(_) => "session_recorded",
            EventBody::AgreementMade(_) => "agreement_made",
            EventBody::PerformanceRecorded(_) => "performance_recorded",
            EventBody::FollowUpRecorded(_) => "follow_up_recorded",
            EventBody::CaseClosed(_) => "case_closed",
            EventBody::ScreeningReported(_) => "screening_reported",
            EventBody::AttachmentAdded(_) => "attachment_added",
            EventBody::AttachmentRemoved(_) => "attachment_removed",
            EventBody::CasePurged(_) => "case_purged",
            EventBody::Redacted(_) => "redacted",
        }
    }

    /// The case this event belongs to, if any.
    pub fn case_id(&self) -> Option<Uuid> {
        use EventBody::*;
        match self {
            UnitRegistered(_)
            | MediatorRegistered(_)
            | SchemeConfigured(_)
            | ScreeningReported(_) => None,
            CaseOpened(body::CaseOpened { case_id, .. })
            | CaseGraded(body::CaseGraded { case_id, .. })
            | EscalationRequested(body::EscalationRequested { case_id, .. })
            | EscalationAccepted(body::EscalationAccepted { case_id, .. })
            | EscalationReturned(body::EscalationReturned { case_id, .. })
            | SupportRequested(body::SupportRequested { case_id, .. })
            | SupportAnswered(body::SupportAnswered { case_id, .. })
            | CaseReferred(body::CaseReferred { case_id, .. })
            | ReferralAnswered(body::ReferralAnswered { case_id, .. })
            | SessionRecorded(body::SessionRecorded { case_id, .. })
            | AgreementMade(body::AgreementMade { case_id, .. })
            | PerformanceRecorded(body::PerformanceRecorded { case_id, .. })
            | FollowUpRecorded(body::FollowUpRecorded { case_id, .. })
            | CaseClosed(body::CaseClosed { case_id, .. })
            | AttachmentAdded(body::AttachmentAdded { case_id, .. })
            | AttachmentRemoved(body::AttachmentRemoved { case_id, .. })
            | CasePurged(body::CasePurged { case_id, .. })
            | Redacted(body::Redacted { case_id, .. }) => Some(*case_id),
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
            CaseOpened(body::CaseOpened { number, intake, .. }) => format!(
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
            CaseGraded(body::CaseGraded {
                grade, reason, on, ..
            }) => format!("{on} 评定为{}：{reason}", names.grade(grade)),
            EscalationRequested(body::EscalationRequested {
                to_unit,
                reason,
                on,
                ..
            }) => format!("{on} 提请上交至{}：{reason}", names.unit(to_unit)),
            EscalationAccepted(body::EscalationAccepted { note, on, .. }) => {
                format!("{on} 上级受理上交案件 {note}")
            }
            EscalationReturned(body::EscalationReturned { reason, on, .. }) => {
                format!("{on} 上级退回：{reason}")
            }
            SupportRequested(body::SupportRequested {
                to_unit,
                matter,
                on,
                ..
            }) => format!("{on} 请求{}支援：{matter}", names.unit(to_unit)),
            SupportAnswered(body::SupportAnswered { reply, on, .. }) => {
                format!("{on} 上级答复支援请求：{reply}")
            }
            CaseReferred(body::CaseReferred {
                department,
                receiver,
                deadline,
                on,
                ..
            }) => {
                format!("{on} 移送{department}（{receiver}），限 {deadline} 前反馈")
            }
            ReferralAnswered(body::ReferralAnswered { outcome, on, .. }) => {
                format!("{on} 移送结果反馈：{outcome}")
            }
            SessionRecorded(body::SessionRecorded {
                on, place, result, ..
            }) => format!("{on} 在{place}调解，{result}"),
            AgreementMade(body::AgreementMade {
                form, on, terms, ..
            }) => format!("{on} 达成{form}，共{}项", terms.len()),
            PerformanceRecorded(body::PerformanceRecorded {
                on,
                note,
                fulfilled,
                ..
            }) => {
                format!(
                    "{on} 履行情况{}：{note}",
                    if *fulfilled { "（已履行）" } else { "" }
                )
            }
            FollowUpRecorded(body::FollowUpRecorded {
                on,
                visitor,
                satisfaction,
                ..
            }) => format!(
                "{on} {visitor} 回访{}",
                satisfaction.map(|s| format!("，{s}")).unwrap_or_default()
            ),
            CaseClosed(body::CaseClosed { on, outcome, .. }) => format!("{on} 结案：{outcome}"),
            ScreeningReported(body::ScreeningReported {
                period_start,
                period_end,
                found,
                ..
            }) => {
                if *found == 0 {
                    format!("排查 {period_start} 至 {period_end}：零上报")
                } else {
                    format!("排查 {period_start} 至 {period_end}：发现纠纷{found}件")
                }
            }
            AttachmentAdded(body::AttachmentAdded {
                on,
                category,
                caption,
                file_name,
                ..
            }) => {
                let what = if caption.is_empty() {
                    file_name
                } else {
                    caption
                };
                format!("{on} 添加附件（{category}）：{what}")
            }
            AttachmentRemoved(body::AttachmentRemoved { on, reason, .. }) => {
                format!("{on} 移除附件：{reason}")
            }
            CasePurged(body::CasePurged {
                on,
                retention_years,
                ..
            }) => format!("{on} 保管期限（结案后{retention_years}年）届满，清除个人信息"),
            Redacted(_) => "（内容已按保管期限清除）".to_string(),
        }
    }
}

impl Event {
    /// The stub that replaces this event when its case is purged: the same
    /// envelope (id, device, sequence, clock, unit), no actor, no content.
    pub fn redacted(&self, purged_by: Uuid) -> Option<Event> {
        let case_id = self.body.case_id()?;
        if matches!(self.body, EventBody::Redacted(_) | EventBody::CasePurged(_)) {
            return None;
        }
        Some(Event {
            actor: None,
            schema: SCHEMA_VERSION,
            body: EventBody::Redacted(body::Redacted {
                case_id,
                purged_by,
                was: self.body.kind().to_string(),
            }),
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
    use crate::domain::intake::{Fen, Intake};
    use crate::domain::labels::{
        AgreementForm, ClosingOutcome, Department, Satisfaction, SessionResult,
    };

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
        let body = EventBody::CaseClosed(body::CaseClosed {
            case_id: Uuid::nil(),
            on: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
            outcome: ClosingOutcome::Resolved,
            note: String::new(),
        });
        let v = serde_json::to_value(&body).unwrap();
        assert_eq!(v["kind"], body.kind());
        assert_eq!(v["outcome"], "resolved");
        let back: EventBody = serde_json::from_value(v).unwrap();
        assert_eq!(back, body);
    }

    /// One event of every kind, as the struct variants of schema 2 wrote
    /// them: the stored JSON is hashed and signed, so it must never change.
    #[test]
    fn every_kind_keeps_its_wire_format() {
        use crate::domain::intake::Party;
        use crate::domain::labels::{
            DisputeType, Gender, MediationType, MediatorRole, Side, Source,
        };
        use crate::domain::scheme::Grade;
        let id = |n: u128| Uuid::from_u128(n);
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let case_id = id(1);
        let cases: Vec<(EventBody, &str)> = vec![
            (
                EventBody::UnitRegistered(UnitSpec::new(
                    "v1",
                    "青山村调解室",
                    Some("青山村"),
                    1,
                    Some("s2"),
                )),
                r#"{"kind":"unit_registered","code":"v1","name":"青山村调解室","short_name":"青山村","level":1,"parent":"s2"}"#,
            ),
            (
                EventBody::MediatorRegistered(MediatorSpec {
                    id: id(9),
                    name: "王五".into(),
                    phone: None,
                    unit: "v1".into(),
                    role: MediatorRole::VillageCadre,
                    specialties: vec!["邻里".into()],
                    active: true,
                }),
                r#"{"kind":"mediator_registered","id":"00000000-0000-0000-0000-000000000009","name":"王五","phone":null,"unit":"v1","role":"village_cadre","specialties":["邻里"],"active":true}"#,
            ),
            (
                EventBody::SchemeConfigured(Scheme {
                    grades: vec![Grade {
                        key: "red".into(),
                        name: "红色".into(),
                        cadence_days: 7,
                        rank: 3,
                        color: "#c0392b".into(),
                    }],
                }),
                r##"{"kind":"scheme_configured","grades":[{"key":"red","name":"红色","cadence_days":7,"rank":3,"color":"#c0392b"}]}"##,
            ),
            (
                EventBody::CaseOpened(body::CaseOpened {
                    case_id,
                    number: CaseNumber {
                        short_name: "青山村".into(),
                        year: 2026,
                        lane: 1,
                        seq: 12,
                    },
                    mediator: Some(id(9)),
                    intake: Intake {
                        received_on: day(1),
                        dispute_type: DisputeType::Neighbour,
                        source: Source::Application,
                        mediation_type: MediationType::People,
                        facts: "排水沟".into(),
                        requests: "修好".into(),
                        amount: Fen(80_000),
                        people_involved: 2,
                        petition_risk: false,
                        criminal_risk: true,
                        key_persons: "李四".into(),
                        parties: vec![Party {
                            side: Side::Applicant,
                            name: "张三".into(),
                            gender: Some(Gender::Male),
                            ethnicity: None,
                            birth_date: Some(NaiveDate::from_ymd_opt(1970, 5, 6).unwrap()),
                            age: None,
                            occupation: None,
                            phone: Some("13800000000".into()),
                            address: None,
                            id_number: None,
                        }],
                    },
                }),
                r#"{"kind":"case_opened","case_id":"00000000-0000-0000-0000-000000000001","number":{"short_name":"青山村","year":2026,"lane":1,"seq":12},"mediator":"00000000-0000-0000-0000-000000000009","intake":{"received_on":"2026-03-01","dispute_type":"neighbour","source":"application","mediation_type":"people","facts":"排水沟","requests":"修好","amount":80000,"people_involved":2,"petition_risk":false,"criminal_risk":true,"key_persons":"李四","parties":[{"side":"applicant","name":"张三","gender":"male","ethnicity":null,"birth_date":"1970-05-06","age":null,"occupation":null,"phone":"13800000000","address":null,"id_number":null}]}}"#,
            ),
            (
                EventBody::CaseGraded(body::CaseGraded {
                    case_id,
                    grade: "red".into(),
                    reason: "扬言报复".into(),
                    on: day(2),
                }),
                r#"{"kind":"case_graded","case_id":"00000000-0000-0000-0000-000000000001","grade":"red","reason":"扬言报复","on":"2026-03-02"}"#,
            ),
            (
                EventBody::EscalationRequested(body::EscalationRequested {
                    case_id,
                    escalation_id: id(2),
                    to_unit: "s2".into(),
                    reason: "涉及多村".into(),
                    on: day(3),
                }),
                r#"{"kind":"escalation_requested","case_id":"00000000-0000-0000-0000-000000000001","escalation_id":"00000000-0000-0000-0000-000000000002","to_unit":"s2","reason":"涉及多村","on":"2026-03-03"}"#,
            ),
            (
                EventBody::EscalationAccepted(body::EscalationAccepted {
                    case_id,
                    escalation_id: id(2),
                    note: "受理".into(),
                    on: day(4),
                }),
                r#"{"kind":"escalation_accepted","case_id":"00000000-0000-0000-0000-000000000001","escalation_id":"00000000-0000-0000-0000-000000000002","note":"受理","on":"2026-03-04"}"#,
            ),
            (
                EventBody::EscalationReturned(body::EscalationReturned {
                    case_id,
                    escalation_id: id(2),
                    reason: "本村可办".into(),
                    on: day(4),
                }),
                r#"{"kind":"escalation_returned","case_id":"00000000-0000-0000-0000-000000000001","escalation_id":"00000000-0000-0000-0000-000000000002","reason":"本村可办","on":"2026-03-04"}"#,
            ),
            (
                EventBody::SupportRequested(body::SupportRequested {
                    case_id,
                    support_id: id(3),
                    to_unit: "s2".into(),
                    matter: "请派律师".into(),
                    on: day(5),
                }),
                r#"{"kind":"support_requested","case_id":"00000000-0000-0000-0000-000000000001","support_id":"00000000-0000-0000-0000-000000000003","to_unit":"s2","matter":"请派律师","on":"2026-03-05"}"#,
            ),
            (
                EventBody::SupportAnswered(body::SupportAnswered {
                    case_id,
                    support_id: id(3),
                    reply: "周三到".into(),
                    on: day(6),
                }),
                r#"{"kind":"support_answered","case_id":"00000000-0000-0000-0000-000000000001","support_id":"00000000-0000-0000-0000-000000000003","reply":"周三到","on":"2026-03-06"}"#,
            ),
            (
                EventBody::CaseReferred(body::CaseReferred {
                    case_id,
                    referral_id: id(4),
                    department: Department::Land,
                    receiver: "区自然资源局".into(),
                    matter: "宅基地界址".into(),
                    deadline: day(20),
                    on: day(7),
                }),
                r#"{"kind":"case_referred","case_id":"00000000-0000-0000-0000-000000000001","referral_id":"00000000-0000-0000-0000-000000000004","department":"land","receiver":"区自然资源局","matter":"宅基地界址","deadline":"2026-03-20","on":"2026-03-07"}"#,
            ),
            (
                EventBody::ReferralAnswered(body::ReferralAnswered {
                    case_id,
                    referral_id: id(4),
                    outcome: "已测量".into(),
                    on: day(8),
                }),
                r#"{"kind":"referral_answered","case_id":"00000000-0000-0000-0000-000000000001","referral_id":"00000000-0000-0000-0000-000000000004","outcome":"已测量","on":"2026-03-08"}"#,
            ),
            (
                EventBody::SessionRecorded(body::SessionRecorded {
                    case_id,
                    session_id: id(5),
                    on: day(9),
                    place: "村委会".into(),
                    mediators: vec!["王五".into(), "赵六".into()],
                    attendees: "双方".into(),
                    summary: "各让一步".into(),
                    result: SessionResult::Agreed,
                }),
                r#"{"kind":"session_recorded","case_id":"00000000-0000-0000-0000-000000000001","session_id":"00000000-0000-0000-0000-000000000005","on":"2026-03-09","place":"村委会","mediators":["王五","赵六"],"attendees":"双方","summary":"各让一步","result":"agreed"}"#,
            ),
            (
                EventBody::AgreementMade(body::AgreementMade {
                    case_id,
                    agreement_id: id(6),
                    form: AgreementForm::Written,
                    on: day(9),
                    terms: vec![
                        Term {
                            content: "李四修沟".into(),
                            due: Some(day(30)),
                        },
                        Term {
                            content: "互不追究".into(),
                            due: None,
                        },
                    ],
                    amount: Fen(12_345),
                }),
                r#"{"kind":"agreement_made","case_id":"00000000-0000-0000-0000-000000000001","agreement_id":"00000000-0000-0000-0000-000000000006","form":"written","on":"2026-03-09","terms":[{"content":"李四修沟","due":"2026-03-30"},{"content":"互不追究","due":null}],"amount":12345}"#,
            ),
            (
                EventBody::PerformanceRecorded(body::PerformanceRecorded {
                    case_id,
                    on: day(10),
                    note: "已修好".into(),
                    fulfilled: true,
                }),
                r#"{"kind":"performance_recorded","case_id":"00000000-0000-0000-0000-000000000001","on":"2026-03-10","note":"已修好","fulfilled":true}"#,
            ),
            (
                EventBody::FollowUpRecorded(body::FollowUpRecorded {
                    case_id,
                    followup_id: id(7),
                    on: day(11),
                    visitor: "王五".into(),
                    performance: "已履行".into(),
                    satisfaction: Some(Satisfaction::Mostly),
                    lawsuit: false,
                    new_risk: String::new(),
                    measures: "无".into(),
                }),
                r#"{"kind":"follow_up_recorded","case_id":"00000000-0000-0000-0000-000000000001","followup_id":"00000000-0000-0000-0000-000000000007","on":"2026-03-11","visitor":"王五","performance":"已履行","satisfaction":"mostly","lawsuit":false,"new_risk":"","measures":"无"}"#,
            ),
            (
                EventBody::CaseClosed(body::CaseClosed {
                    case_id,
                    on: day(12),
                    outcome: ClosingOutcome::Resolved,
                    note: "结".into(),
                }),
                r#"{"kind":"case_closed","case_id":"00000000-0000-0000-0000-000000000001","on":"2026-03-12","outcome":"resolved","note":"结"}"#,
            ),
            (
                EventBody::ScreeningReported(body::ScreeningReported {
                    round_id: id(8),
                    period_start: day(1),
                    period_end: day(15),
                    on: day(16),
                    found: 0,
                    note: "零上报".into(),
                }),
                r#"{"kind":"screening_reported","round_id":"00000000-0000-0000-0000-000000000008","period_start":"2026-03-01","period_end":"2026-03-15","on":"2026-03-16","found":0,"note":"零上报"}"#,
            ),
            (
                EventBody::AttachmentAdded(body::AttachmentAdded {
                    case_id,
                    attachment_id: id(11),
                    hash: "ab".repeat(32),
                    size: 412_345,
                    mime: "image/jpeg".into(),
                    category: crate::domain::labels::AttachmentKind::Evidence,
                    caption: "围墙越界处".into(),
                    file_name: "IMG_0001.jpg".into(),
                    width: Some(2000),
                    height: Some(1500),
                    on: day(20),
                }),
                r#"{"kind":"attachment_added","case_id":"00000000-0000-0000-0000-000000000001","attachment_id":"00000000-0000-0000-0000-00000000000b","hash":"abababababababababababababababababababababababababababababababab","size":412345,"mime":"image/jpeg","category":"evidence","caption":"围墙越界处","file_name":"IMG_0001.jpg","width":2000,"height":1500,"on":"2026-03-20"}"#,
            ),
            (
                EventBody::AttachmentRemoved(body::AttachmentRemoved {
                    case_id,
                    attachment_id: id(11),
                    reason: "拍错了案件".into(),
                    on: day(21),
                }),
                r#"{"kind":"attachment_removed","case_id":"00000000-0000-0000-0000-000000000001","attachment_id":"00000000-0000-0000-0000-00000000000b","reason":"拍错了案件","on":"2026-03-21"}"#,
            ),
            (
                EventBody::CasePurged(body::CasePurged {
                    case_id,
                    on: day(31),
                    retention_years: 10,
                }),
                r#"{"kind":"case_purged","case_id":"00000000-0000-0000-0000-000000000001","on":"2026-03-31","retention_years":10}"#,
            ),
            (
                EventBody::Redacted(body::Redacted {
                    case_id,
                    purged_by: id(10),
                    was: "case_graded".into(),
                }),
                r#"{"kind":"redacted","case_id":"00000000-0000-0000-0000-000000000001","purged_by":"00000000-0000-0000-0000-00000000000a","was":"case_graded"}"#,
            ),
        ];
        let mut kinds: Vec<&str> = cases.iter().map(|(b, _)| b.kind()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), 22, "one event of every kind");
        for (body, wire) in cases {
            let json = serde_json::to_string(&body).unwrap();
            assert_eq!(json, wire, "{} changed on the wire", body.kind());
            let back: EventBody = serde_json::from_str(wire).unwrap();
            assert_eq!(back, body, "{} does not read back", body.kind());
        }
    }
}
