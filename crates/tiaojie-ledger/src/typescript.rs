//! The TypeScript declarations of what the screen receives from the ledger,
//! generated from the Rust types into `ui/src/api/generated/ledger.ts`, so
//! that the UI cannot drift from the ledger by hand. The test
//! `tests/typescript.rs` fails when the committed file is not what this
//! makes; `TIAOJIE_WRITE_TS=1 cargo test -p tiaojie-ledger --test
//! typescript` rewrites it.

use crate::domain::intake::{CaseIntake, Fen, PartyInput};
use crate::domain::labels::{
    AgreementForm, AttachmentKind, CaseStatus, ClosingOutcome, Department, DisputeType,
    EscalationStatus, Gender, MediationType, MediatorRole, Satisfaction, SessionResult, Side,
    Source,
};
use crate::domain::phrasing::ClauseOffer;
use crate::domain::roles::Role;
use crate::domain::scheme::{DueState, Grade, Scheme};
use crate::domain::unit::{MediatorSpec, UnitSpec};
use crate::event::Term;
use crate::store::attachments::AttachmentRecord;
use crate::store::import::ImportOutcome;
use crate::store::people::KnownParty;
use crate::store::queries::{
    CaseFilter, CaseRow, DueCount, DueVisit, Page, Scope, SortKey, UnitRow,
};
use crate::store::todo::{EscalationItem, ReferralItem, Today};
use crate::store::users::Session;
use crate::store::{
    Agreement, AgreementInput, CaseDetail, CaseRef, Count, DeviceInfo, EscalationRecord,
    FollowUpInput, FollowUpRecord, GradingRecord, HistoryEntry, MediatorInput, PartyRecord,
    PerformanceRecord, ReferralRecord, SessionInput, SessionRecord, Stats, SupportRecord, UnitCell,
};
use ts_rs::{Config, TS};

/// Where the file lives, from the workspace root.
pub const PATH: &str = "ui/src/api/generated/ledger.ts";

const HEADER: &str = "\
// Generated from the Rust types of tiaojie-ledger (src/typescript.rs): do not
// edit. After changing one of those types, regenerate with
//   TIAOJIE_WRITE_TS=1 cargo test -p tiaojie-ledger --test typescript
";

/// How the generated files write Rust types: counts and money in fen are
/// far below 2^53, so numbers, not bigints.
pub fn config() -> Config {
    Config::new().with_large_int("number")
}

/// Appends `T`'s declaration, with its doc comment, exported.
pub fn declare<T: TS>(cfg: &Config, out: &mut String) {
    out.push('\n');
    if let Some(docs) = T::docs() {
        out.push_str(docs.trim_end());
        out.push('\n');
    }
    out.push_str("export ");
    out.push_str(&T::decl(cfg));
    out.push('\n');
}

/// The file's whole text.
pub fn declarations() -> String {
    let cfg = config();
    let mut out = String::from(HEADER);
    // The vocabularies, by their stored keys.
    declare::<Side>(&cfg, &mut out);
    declare::<Gender>(&cfg, &mut out);
    declare::<MediationType>(&cfg, &mut out);
    declare::<ClosingOutcome>(&cfg, &mut out);
    declare::<EscalationStatus>(&cfg, &mut out);
    declare::<Department>(&cfg, &mut out);
    declare::<SessionResult>(&cfg, &mut out);
    declare::<AgreementForm>(&cfg, &mut out);
    declare::<Satisfaction>(&cfg, &mut out);
    declare::<DisputeType>(&cfg, &mut out);
    declare::<Source>(&cfg, &mut out);
    declare::<MediatorRole>(&cfg, &mut out);
    declare::<CaseStatus>(&cfg, &mut out);
    declare::<AttachmentKind>(&cfg, &mut out);
    declare::<Role>(&cfg, &mut out);
    // The unit's grading scheme.
    declare::<Grade>(&cfg, &mut out);
    declare::<Scheme>(&cfg, &mut out);
    // One case.
    declare::<CaseRow>(&cfg, &mut out);
    declare::<PartyRecord>(&cfg, &mut out);
    declare::<GradingRecord>(&cfg, &mut out);
    declare::<EscalationRecord>(&cfg, &mut out);
    declare::<SupportRecord>(&cfg, &mut out);
    declare::<ReferralRecord>(&cfg, &mut out);
    declare::<SessionRecord>(&cfg, &mut out);
    declare::<Term>(&cfg, &mut out);
    declare::<Agreement>(&cfg, &mut out);
    declare::<PerformanceRecord>(&cfg, &mut out);
    declare::<FollowUpRecord>(&cfg, &mut out);
    declare::<HistoryEntry>(&cfg, &mut out);
    declare::<CaseDetail>(&cfg, &mut out);
    declare::<CaseRef>(&cfg, &mut out);
    declare::<KnownParty>(&cfg, &mut out);
    declare::<AttachmentRecord>(&cfg, &mut out);
    // What the actions on a case take.
    declare::<Fen>(&cfg, &mut out);
    declare::<SessionInput>(&cfg, &mut out);
    declare::<AgreementInput>(&cfg, &mut out);
    declare::<FollowUpInput>(&cfg, &mut out);
    // Intake.
    declare::<PartyInput>(&cfg, &mut out);
    declare::<CaseIntake>(&cfg, &mut out);
    declare::<ClauseOffer>(&cfg, &mut out);
    declare::<ImportOutcome>(&cfg, &mut out);
    // Lists.
    declare::<Page<ts_rs::Dummy>>(&cfg, &mut out);
    declare::<Scope>(&cfg, &mut out);
    declare::<SortKey>(&cfg, &mut out);
    declare::<CaseFilter>(&cfg, &mut out);
    declare::<UnitSpec>(&cfg, &mut out);
    declare::<UnitRow>(&cfg, &mut out);
    declare::<MediatorSpec>(&cfg, &mut out);
    declare::<MediatorInput>(&cfg, &mut out);
    // This laptop and who uses it.
    declare::<DeviceInfo>(&cfg, &mut out);
    declare::<Session>(&cfg, &mut out);
    // 统计.
    declare::<Count>(&cfg, &mut out);
    declare::<Stats>(&cfg, &mut out);
    declare::<UnitCell>(&cfg, &mut out);
    // 今日工作.
    declare::<DueState>(&cfg, &mut out);
    declare::<DueVisit>(&cfg, &mut out);
    declare::<DueCount>(&cfg, &mut out);
    declare::<EscalationItem>(&cfg, &mut out);
    declare::<ReferralItem>(&cfg, &mut out);
    declare::<Today>(&cfg, &mut out);
    out
}
