//! The payloads of the event kinds that carry their own fields: one struct
//! per kind, named like its `EventBody` variant. Each variant holds its
//! payload as a newtype, and an internally tagged newtype variant is
//! written exactly as a struct variant with the same fields, so the JSON is
//! the same as when the fields sat in the variant: the field names and their
//! order are a persistent format (see `event`).

use super::{CaseNumber, Term};
use crate::domain::intake::{Fen, Intake};
use crate::domain::labels::{
    AgreementForm, AttachmentKind, ClosingOutcome, Department, Satisfaction, SessionResult,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOpened {
    pub case_id: Uuid,
    pub number: CaseNumber,
    pub mediator: Option<Uuid>,
    pub intake: Intake,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseGraded {
    pub case_id: Uuid,
    pub grade: String,
    pub reason: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationRequested {
    pub case_id: Uuid,
    pub escalation_id: Uuid,
    pub to_unit: String,
    pub reason: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationAccepted {
    pub case_id: Uuid,
    pub escalation_id: Uuid,
    pub note: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationReturned {
    pub case_id: Uuid,
    pub escalation_id: Uuid,
    pub reason: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportRequested {
    pub case_id: Uuid,
    pub support_id: Uuid,
    pub to_unit: String,
    pub matter: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportAnswered {
    pub case_id: Uuid,
    pub support_id: Uuid,
    pub reply: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReferred {
    pub case_id: Uuid,
    pub referral_id: Uuid,
    pub department: Department,
    pub receiver: String,
    pub matter: String,
    pub deadline: NaiveDate,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralAnswered {
    pub case_id: Uuid,
    pub referral_id: Uuid,
    pub outcome: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecorded {
    pub case_id: Uuid,
    pub session_id: Uuid,
    pub on: NaiveDate,
    pub place: String,
    pub mediators: Vec<String>,
    pub attendees: String,
    pub summary: String,
    pub result: SessionResult,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementMade {
    pub case_id: Uuid,
    pub agreement_id: Uuid,
    pub form: AgreementForm,
    pub on: NaiveDate,
    pub terms: Vec<Term>,
    pub amount: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerformanceRecorded {
    pub case_id: Uuid,
    pub on: NaiveDate,
    pub note: String,
    pub fulfilled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpRecorded {
    pub case_id: Uuid,
    pub followup_id: Uuid,
    pub on: NaiveDate,
    pub visitor: String,
    pub performance: String,
    pub satisfaction: Option<Satisfaction>,
    pub lawsuit: bool,
    pub new_risk: String,
    pub measures: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseClosed {
    pub case_id: Uuid,
    pub on: NaiveDate,
    pub outcome: ClosingOutcome,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningReported {
    pub round_id: Uuid,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub on: NaiveDate,
    /// Disputes found; 0 is an explicit nil report (零上报).
    pub found: u32,
    pub note: String,
}

/// A closed case past its retention period is removed: its personal
/// data leaves every ledger and the hub. Carries nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePurged {
    pub case_id: Uuid,
    pub on: NaiveDate,
    /// The retention period the purge applied, in years after closing.
    pub retention_years: u32,
}

/// What is left of an event of a purged case: its place in the log and
/// the chain (the stored link is kept), none of its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redacted {
    pub case_id: Uuid,
    /// The `case_purged` event that removed the content.
    pub purged_by: Uuid,
    /// The kind the event had.
    pub was: String,
}

/// A photo or scan added to the case file. The bytes travel apart from the
/// event, named by `hash` (SHA-256 of the content as stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentAdded {
    pub case_id: Uuid,
    pub attachment_id: Uuid,
    pub hash: String,
    pub size: u64,
    /// image/jpeg, image/png, image/webp or application/pdf.
    pub mime: String,
    /// 证据材料, 签字的协议书…; not `kind`, which names the event.
    pub category: AttachmentKind,
    pub caption: String,
    /// The name of the file it came from, as the person knows it.
    pub file_name: String,
    /// Pixels of an image, as stored (upright).
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub on: NaiveDate,
}

/// An attachment taken out of the case file; its bytes stay until the
/// case is purged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRemoved {
    pub case_id: Uuid,
    pub attachment_id: Uuid,
    pub reason: String,
    pub on: NaiveDate,
}
